/*
 * Crews on the road (issue 16, item 4; tracker/staff/offline_config.py, docs/offline.md).
 *
 * - On the work queue: "Für unterwegs speichern" saves the queue's reports (their staff
 *   detail without the reporter's contact data) in IndexedDB ("mm-crew"), their photos and the
 *   Unterwegs page in the Cache Storage ("mm-crew"; the service worker answers from it
 *   offline), the pages' scripts and styles ("mm-static") and the base-map tiles of the
 *   queue's area ("mm-basemap") from county to street zoom, capped at maxTiles.
 * - On /arbeit/unterwegs/: the saved reports, a map, and a form per report for status
 *   changes, internal notes and "after" photos. Every change is queued on the device first
 *   (IndexedDB "changes") and sent in order when online, each with the report version it was
 *   based on (expected_version). 409 = someone changed the report meanwhile: both versions are
 *   shown; the crew applies their change again on the current state or discards it.
 *   The queue and the sending live in js/crew-queue.js, shared with the service worker, which
 *   sends on Background Sync when the connection returns, also with the page closed.
 *   Nothing is dropped without the crew's decision.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("crew-offline-config");
  if (!configElement || !window.indexedDB || !window.idb || !window.fetch || !window.MMCrewQueue) {
    return;
  }
  var C = JSON.parse(configElement.textContent);
  var S = C.strings;
  var CREW_CACHE = "mm-crew";
  var STATIC_CACHE = "mm-static";
  var TILE_CACHE = "mm-basemap";
  // Status steps a crew can take on the road (the server checks them again when sent).
  var STEPS = { planned: ["in_progress", "done"], in_progress: ["planned", "done"] };

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (key === "text") {
        node.textContent = value;
      } else if (key === "className") {
        node.className = value;
      } else if (key.indexOf("on") === 0) {
        node.addEventListener(key.slice(2), value);
      } else if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(key, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function when(iso) {
    if (!iso) {
      return "";
    }
    return new Date(iso).toLocaleString(document.documentElement.lang || "de", {
      day: "numeric", month: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
  }

  function megabytes(bytes) {
    if (bytes < 1048576) {
      return Math.max(1, Math.round(bytes / 1024)).toLocaleString(document.documentElement.lang || "de") + " kB";
    }
    return (bytes / 1048576).toLocaleString(document.documentElement.lang || "de", {
      maximumFractionDigits: 1,
    }) + " MB";
  }

  // ---- the device's stores (js/crew-queue.js, shared with the service worker) -------------

  var Q = window.MMCrewQueue;
  var getAll = Q.getAll;
  var getOne = Q.getOne;
  var putOne = Q.putOne;
  var putMany = Q.putMany;
  var clearStore = Q.clearStore;
  var withoutContact = Q.withoutContact;

  // ---- saving for the road ----------------------------------------------------------------

  async function fetchJSON(url) {
    var response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(String(response.status));
    }
    return response.json();
  }

  async function pool(items, size, worker) {
    var index = 0;
    async function next() {
      while (index < items.length) {
        var item = items[index];
        index += 1;
        await worker(item);
      }
    }
    var runners = [];
    for (var i = 0; i < Math.min(size, items.length); i += 1) {
      runners.push(next());
    }
    await Promise.all(runners);
  }

  function tileXY(lon, lat, z) {
    var n = Math.pow(2, z);
    var x = Math.floor(((lon + 180) / 360) * n);
    var rad = (lat * Math.PI) / 180;
    var y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
    return [Math.max(0, Math.min(n - 1, x)), Math.max(0, Math.min(n - 1, y))];
  }

  /* The tiles of the area from the lowest zoom up to the deepest one that fits the cap. */
  function planTiles(bbox) {
    var zooms = C.tileZooms;
    var tiles = [];
    var zoom = zooms[0] - 1;
    for (var z = zooms[0]; z <= zooms[1]; z += 1) {
      var low = tileXY(bbox[0], bbox[1], z);
      var high = tileXY(bbox[2], bbox[3], z);
      var level = [];
      for (var x = low[0]; x <= high[0]; x += 1) {
        for (var y = high[1]; y <= low[1]; y += 1) {
          level.push([z, x, y]);
        }
      }
      if (tiles.length + level.length > C.maxTiles) {
        return { tiles: tiles, zoom: zoom, capped: true };
      }
      tiles = tiles.concat(level);
      zoom = z;
    }
    return { tiles: tiles, zoom: zoom, capped: false };
  }

  function areaOf(features) {
    var bbox = [180, 90, -180, -90];
    features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      bbox = [Math.min(bbox[0], c[0]), Math.min(bbox[1], c[1]), Math.max(bbox[2], c[0]), Math.max(bbox[3], c[1])];
    });
    // About a kilometre around the outermost reports.
    return [bbox[0] - 0.015, bbox[1] - 0.01, bbox[2] + 0.015, bbox[3] + 0.01];
  }

  async function cacheAll(cacheName, urls) {
    var cache = await caches.open(cacheName);
    var bytes = 0;
    var saved = 0;
    await pool(urls, 4, async function (url) {
      try {
        var response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) {
          bytes += (await response.clone().blob()).size;
          await cache.put(url, response);
          saved += 1;
        }
      } catch (error) {
        // One missing file does not stop the rest; the note says how many were saved.
      }
    });
    return { saved: saved, bytes: bytes };
  }

  async function saveShell() {
    // The Unterwegs page itself and the scripts and styles it loads.
    var response = await fetch(C.page, { credentials: "same-origin" });
    if (!response.ok || response.redirected) {
      throw new Error("page");
    }
    var html = await response.clone().text();
    await (await caches.open(CREW_CACHE)).put(C.page, response);
    var urls = [];
    html.replace(/(?:src|href)="(\/static\/[^"]+)"/g, function (match, url) {
      urls.push(url.replace(/&amp;/g, "&"));
      return match;
    });
    await cacheAll(STATIC_CACHE, urls);
  }

  async function saveTiles(features, progress) {
    var plan = planTiles(areaOf(features));
    var done = 0;
    var bytes = 0;
    var cache = await caches.open(TILE_CACHE);
    await pool(plan.tiles, 6, async function (tile) {
      var url = C.tiles.replace("{z}", tile[0]).replace("{x}", tile[1]).replace("{y}", tile[2]);
      try {
        var response = await fetch(url);
        if (response.ok) {
          bytes += (await response.clone().blob()).size;
          await cache.put(url, response);
        }
      } catch (error) {
        // Counted as not saved; the map shows grey there.
      }
      done += 1;
      if (done % 25 === 0 || done === plan.tiles.length) {
        progress(fmt(S.savingTiles, { done: done, total: plan.tiles.length, size: megabytes(bytes) }), done / plan.tiles.length);
      }
    });
    return { count: plan.tiles.length, bytes: bytes, zoom: plan.zoom, capped: plan.capped };
  }

  async function saveForTheRoad(source, progress) {
    progress(S.saving, 0);
    var list = await fetchJSON(source);
    var features = list.features.slice(0, C.maxReports);
    var records = [];
    var done = 0;
    await pool(features, 4, async function (feature) {
      var detail = withoutContact(await fetchJSON(C.api + "/" + feature.id));
      records.push({ id: feature.id, detail: detail });
      done += 1;
      progress(fmt(S.savingReports, { done: done, total: features.length }), done / Math.max(1, features.length));
    });
    await putMany("reports", records, true);
    // Sent and discarded changes were shown until now; the fresh state replaces them.
    var settled = (await getAll("changes")).filter(function (c) { return c.state === "sent" || c.state === "discarded"; });
    await Q.deleteMany("changes", settled.map(function (c) { return c.seq; }));
    var photos = [];
    records.forEach(function (record) {
      (record.detail.properties.photos || []).forEach(function (photo) {
        [photo.url, photo.thumbnail].forEach(function (url) { if (url) { photos.push(url); } });
      });
    });
    var photoResult = await cacheAll(CREW_CACHE, photos);
    await saveShell();
    var tiles = features.length ? await saveTiles(features, progress) : { count: 0, bytes: 0, zoom: 0, capped: false };
    var meta = {
      key: "saved", at: new Date().toISOString(), source: source, reports: records.length,
      photos: photoResult.saved, tiles: tiles.count, bytes: tiles.bytes + photoResult.bytes,
      zoom: tiles.zoom, capped: tiles.capped,
    };
    await putOne("meta", meta);
    var note = fmt(S.saved, {
      reports: meta.reports, photos: meta.photos, tiles: meta.tiles, size: megabytes(meta.bytes), zoom: meta.zoom + 1,
    });
    if (tiles.capped) {
      note += " " + fmt(S.tilesCapped, { zoom: tiles.zoom + 1, max: C.maxTiles });
    }
    progress(note, 1);
    return meta;
  }

  function saveUI(source, button) {
    var status = document.getElementById("crew-save-status");
    var bar = document.getElementById("crew-save-progress");
    button.addEventListener("click", function () {
      button.disabled = true;
      bar.hidden = false;
      var target = typeof source === "function" ? source() : Promise.resolve(source);
      target.then(function (url) {
        return saveForTheRoad(url, function (text, share) {
          status.textContent = text;
          bar.value = share;
        });
      }).then(function () {
        document.dispatchEvent(new CustomEvent("crew:saved"));
      }).catch(function () {
        status.textContent = S.saveFailed;
      }).finally(function () {
        button.disabled = false;
        bar.hidden = true;
      });
    });
  }

  // ---- the queue of changes (sent by js/crew-queue.js) ------------------------------------

  var backgroundSync = false;

  async function queueChange(reportId, action, body, photo) {
    await Q.queueChange(reportId, action, body, photo);
    await Q.rememberSync(C.api, C.me, MM.csrfToken());
    backgroundSync = await Q.requestBackgroundSync();
  }

  /* Send the waiting changes now (the worker does the same on Background Sync). */
  async function sync() {
    await Q.rememberSync(C.api, C.me, MM.csrfToken());
    var outcome = await Q.syncAll(function () { summary(S.syncing); });
    await render(outcome);
    return outcome;
  }

  async function decide(change, how) {
    if (how === "apply") {
      var version = change.current.properties.version;
      await Q.rebase(change.reportId, change.baseVersion, version);
      change.baseVersion = version;
      change.baseUpdated = change.current.properties.updated_at;
      change.state = "waiting";
    } else if (how === "retry") {
      change.state = "waiting";
    } else {
      change.state = "discarded";
      change.photo = null;
    }
    delete change.current;
    delete change.message;
    delete change.errors;
    await putOne("changes", change);
    if (how === "discard") {
      await render("discarded");
    } else {
      await sync();
    }
  }

  // ---- the Unterwegs page -----------------------------------------------------------------

  var page = document.getElementById("crew-offline");
  var focusDetail = true;  // move the focus to a report only when the crew opens it
  var map = null;
  var markers = null;

  function statusLabel(status) {
    return C.statuses[status] || status;
  }

  function changeLabel(change) {
    if (change.action === "transition") {
      var label = fmt(S.toStatus, { status: statusLabel(change.body.status) });
      return change.body.note ? label + " – " + change.body.note : label;
    }
    if (change.action === "photo") {
      return S.photoAfter;
    }
    return S.note + ": " + change.body.text;
  }

  function effectiveStatus(record, changes) {
    var status = record.detail.properties.status;
    changes.forEach(function (c) {
      if (c.reportId === record.id && c.state === "waiting" && c.action === "transition") {
        status = c.body.status;
      }
    });
    return status;
  }

  function summary(text) {
    var node = document.getElementById("crew-sync-summary");
    if (node) { node.textContent = text; }
  }

  function stateText(change, blocked) {
    if (change.state === "waiting" && blocked[change.reportId]) { return S.blocked; }
    return { waiting: S.waiting, sent: S.sent, conflict: S.conflict, error: S.error, discarded: S.discarded }[change.state] || change.state;
  }

  function renderChanges(changes) {
    var list = document.getElementById("crew-changes");
    list.textContent = "";
    var blocked = {};
    changes.forEach(function (c) {
      if (c.state === "conflict" || c.state === "error") { blocked[c.reportId] = true; }
      list.appendChild(h("li", { className: "crew-change crew-change--" + c.state }, [
        h("span", { className: "crew-change__what", text: c.reference + ": " + changeLabel(c) }),
        " ",
        h("span", { className: "tag crew-change__state", text: stateText(c, blocked) }),
      ]));
    });
  }

  function serverColumn(current) {
    var p = current.properties;
    var assigned = [p.assigned_team && p.assigned_team.name, p.assigned_to && (p.assigned_to.display_name || p.assigned_to.email)]
      .filter(Boolean).join(", ") || "–";
    var entries = (p.history || []).slice(-3).reverse().map(function (event) {
      var text = event.note && event.note.indexOf(event.kind_label) === 0 ? event.note
        : event.kind_label + (event.to_status ? " → " + statusLabel(event.to_status) : "") + (event.note ? ": " + event.note : "");
      return h("li", {}, [h("span", { className: "hint", text: when(event.created_at) + " " }), text]);
    });
    return h("div", { className: "crew-conflict__side crew-conflict__server" }, [
      h("h4", { text: S.serverState }),
      h("p", { text: fmt(S.changedAt, { when: when(p.updated_at) }) }),
      h("dl", {}, [
        h("dt", { text: S.status }), h("dd", { text: p.status_label || statusLabel(p.status) }),
        h("dt", { text: S.assigned }), h("dd", { text: assigned }),
      ]),
      h("p", { className: "crew-conflict__entries-title", text: S.lastEntries }),
      h("ul", { className: "crew-conflict__entries" }, entries),
    ]);
  }

  function renderConflicts(changes) {
    var box = document.getElementById("crew-conflicts");
    box.textContent = "";
    changes.filter(function (c) { return c.state === "conflict" || c.state === "error"; }).forEach(function (c) {
      var mine = [h("h4", { text: S.yourChange }),
        h("p", { text: fmt(S.basedOn, { when: when(c.createdAt), based: when(c.baseUpdated) }) }),
        h("p", { className: "crew-conflict__change", text: changeLabel(c) })];
      if (c.photo) {
        mine.push(h("img", { className: "crew-conflict__photo", src: URL.createObjectURL(c.photo), alt: S.photoAfter }));
      }
      var sides = [h("div", { className: "crew-conflict__side crew-conflict__mine" }, mine)];
      if (c.current) { sides.push(serverColumn(c.current)); }
      var again = c.state === "conflict" ? "apply" : "retry";
      box.appendChild(h("section", { className: "crew-conflict", "aria-label": S.conflict + " " + c.reference }, [
        h("h3", { text: (c.state === "conflict" ? S.conflict : S.error) + ": " + c.reference }),
        h("p", { className: "crew-conflict__message", text: c.message || MM.messages(c.errors || {}).join(" ") }),
        h("div", { className: "crew-conflict__sides" }, sides),
        h("div", { className: "crew-conflict__actions" }, [
          h("button", { type: "button", className: "button button--primary", onclick: function () { decide(c, again); } }, [c.state === "conflict" ? S.apply : S.retry]),
          h("button", { type: "button", className: "button", onclick: function () { decide(c, "discard"); } }, [S.discard]),
        ]),
      ]));
    });
  }

  function renderReports(records, changes) {
    var list = document.getElementById("crew-reports");
    list.textContent = "";
    records.forEach(function (record) {
      var p = record.detail.properties;
      var status = effectiveStatus(record, changes);
      var pending = status !== p.status ? " (" + S.waiting + ")" : "";
      list.appendChild(h("li", { className: "crew-report" }, [
        h("a", { href: "#meldung-" + record.id, className: "crew-report__open" }, [p.reference + " – " + p.category_name]),
        h("span", { className: "crew-report__status", text: statusLabel(status) + pending }),
        p.overdue ? h("span", { className: "tag tag--error", text: S.overdue }) : null,
        h("span", { className: "crew-report__address", text: p.address || "" }),
      ]));
    });
  }

  function renderMap(records) {
    var element = document.getElementById("map");
    if (!element || !window.L || !window.MM) { return; }
    if (!map) {
      map = MM.createMap(element, MM.readJSON("map-config") || {}, {});
      markers = L.layerGroup().addTo(map);
    }
    markers.clearLayers();
    var points = [];
    records.forEach(function (record) {
      var c = record.detail.geometry.coordinates;
      points.push([c[1], c[0]]);
      var p = record.detail.properties;
      L.marker([c[1], c[0]], { icon: MM.statusIcon(p.status), title: p.reference, alt: p.reference })
        .bindPopup(h("a", { href: "#meldung-" + record.id }, [p.reference + " – " + S.open]))
        .addTo(markers);
    });
    if (points.length) {
      map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 16 });
    } else {
      map.setView([51.1, 10.4], 6);
    }
    document.getElementById("map-status").textContent = fmt(S.markersLoaded, { count: points.length });
  }

  function field(id, label, input) {
    return h("div", { className: "field" }, [h("label", { for: id, text: label }), input]);
  }

  function statusForm(record, changes) {
    var status = effectiveStatus(record, changes);
    var steps = STEPS[status] || [];
    if (!steps.length) {
      return h("p", { className: "hint", text: S.noSteps });
    }
    var id = record.id;
    var choices = steps.map(function (target, index) {
      return h("div", { className: "choice" }, [
        h("input", { type: "radio", name: "status", value: target, id: "step-" + id + "-" + target, checked: index === steps.length - 1 }),
        h("label", { for: "step-" + id + "-" + target, text: statusLabel(target) }),
      ]);
    });
    var form = h("form", { className: "crew-form", "data-form": "status" }, [
      h("fieldset", {}, [h("legend", { text: S.status })].concat(choices)),
      field("public-note-" + id, S.publicNote, h("textarea", { id: "public-note-" + id, name: "note", rows: "2" })),
      field("after-photo-" + id, S.photoAfter, h("input", { id: "after-photo-" + id, name: "photo", type: "file", accept: "image/*", capture: "environment" })),
      h("button", { type: "submit", className: "button button--primary" }, [S.saveChange]),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var photo = data.get("photo");
      var work = Promise.resolve();
      if (photo && photo.size) {
        work = queueChange(id, "photo", {}, photo);
      }
      work.then(function () {
        return queueChange(id, "transition", { status: data.get("status"), note: data.get("note") || "", public_note: true });
      }).then(afterQueued);
    });
    return form;
  }

  function noteForm(record) {
    var id = record.id;
    var form = h("form", { className: "crew-form", "data-form": "note" }, [
      field("note-" + id, S.note, h("textarea", { id: "note-" + id, name: "text", rows: "2", required: true })),
      h("button", { type: "submit", className: "button" }, [S.saveNote]),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      queueChange(id, "note", { text: new FormData(form).get("text"), public: false }).then(afterQueued);
    });
    return form;
  }

  function afterQueued() {
    var target = window.location.hash;
    render("queued").then(function () {
      window.location.hash = target;
      if (navigator.onLine) { sync(); }
    });
  }

  function renderDetail(records, changes) {
    var box = document.getElementById("crew-detail");
    var listView = document.getElementById("crew-list-view");
    var match = /^#meldung-(\d+)$/.exec(window.location.hash);
    var record = match && records.filter(function (r) { return String(r.id) === match[1]; })[0];
    if (!record) {
      box.hidden = true;
      listView.hidden = false;
      if (map) { map.invalidateSize(); }
      return;
    }
    var p = record.detail.properties;
    var photos = (p.photos || []).map(function (photo) {
      return h("img", { src: photo.thumbnail || photo.url, alt: photo.kind, className: "crew-detail__photo" });
    });
    var pending = changes.filter(function (c) { return c.reportId === record.id && c.state === "waiting"; });
    box.textContent = "";
    box.appendChild(h("p", {}, [h("a", { href: "#", text: S.back })]));
    box.appendChild(h("h2", { text: p.reference + " – " + p.category_name }));
    box.appendChild(h("p", { className: "crew-detail__status", text: S.status + ": " + statusLabel(effectiveStatus(record, changes)) + (pending.length ? " (" + (pending.length === 1 ? S.pendingOne : fmt(S.pendingCount, { count: pending.length })) + ")" : "") }));
    box.appendChild(h("p", { text: p.address || "" }));
    box.appendChild(h("p", { className: "crew-detail__description", text: p.description || "" }));
    box.appendChild(h("div", { className: "crew-detail__photos" }, photos));
    box.appendChild(h("h3", { text: S.status }));
    box.appendChild(statusForm(record, changes));
    box.appendChild(h("h3", { text: S.note }));
    box.appendChild(noteForm(record));
    box.hidden = false;
    listView.hidden = true;
    if (focusDetail) {
      focusDetail = false;
      box.focus();
    }
  }

  async function render(outcome) {
    if (!page) { return; }
    var records = await getAll("reports");
    var changes = Q.inOrder(await getAll("changes"));
    var meta = await getOne("meta", "saved");
    records.sort(function (a, b) { return a.detail.properties.reference < b.detail.properties.reference ? -1 : 1; });
    document.getElementById("crew-saved-at").textContent = meta ? fmt(S.savedAt, { when: when(meta.at) }) : S.nothingSaved;
    renderChanges(changes);
    renderConflicts(changes);
    renderReports(records, changes);
    renderDetail(records, changes);
    renderMap(records);
    var waiting = changes.filter(function (c) { return c.state === "waiting"; }).length;
    var conflicts = changes.filter(function (c) { return c.state === "conflict" || c.state === "error"; }).length;
    var parts = [];
    if (outcome === "queued") { parts.push(backgroundSync && !navigator.onLine ? S.queuedBackground : S.queued); }
    if (outcome === "offline") { parts.push(S.syncOffline); }
    if (outcome === "login") { parts.push(S.syncLogin); }
    if (conflicts) { parts.push(conflicts === 1 ? S.conflictOne : fmt(S.conflictCount, { count: conflicts })); }
    if (waiting) { parts.push(waiting === 1 ? S.pendingOne : fmt(S.pendingCount, { count: waiting })); }
    if (!parts.length && outcome === "done") { parts.push(S.syncDone); }
    if (parts.length) { summary(parts.join(" ")); }
    document.getElementById("crew-offline").dataset.state = conflicts ? "conflict" : waiting ? "waiting" : "idle";
  }

  function connection() {
    var node = document.getElementById("crew-connection");
    node.textContent = navigator.onLine ? S.online : S.offline;
    node.className = "crew-connection " + (navigator.onLine ? "crew-connection--online" : "crew-connection--offline");
  }

  function startPage() {
    // Opened offline at a report's staff address (the service worker answers with this page).
    var path = /\/arbeit\/meldungen\/(\d+)\//.exec(window.location.pathname);
    if (path && !window.location.hash) {
      window.location.hash = "meldung-" + path[1];
    }
    connection();
    window.addEventListener("online", function () { connection(); sync(); });
    window.addEventListener("offline", connection);
    window.addEventListener("hashchange", function () { focusDetail = true; render(); });
    document.addEventListener("crew:saved", function () { render(); });
    document.getElementById("crew-sync-button").addEventListener("click", function () { sync(); });
    // The worker sent changes in the background (Background Sync): show the new state.
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "MM_CREW_CHANGED") { render(event.data.outcome); }
      });
    }
    saveUI(function () {
      return getOne("meta", "saved").then(function (meta) { return meta ? meta.source : C.source; });
    }, document.getElementById("crew-resave"));
    document.getElementById("crew-clear").addEventListener("click", async function () {
      var changes = await getAll("changes");
      if (changes.some(function (c) { return c.state === "waiting" || c.state === "conflict"; }) &&
          !window.confirm(S.clearConfirm)) {
        return;
      }
      await Promise.all([clearStore("reports"), clearStore("changes"), clearStore("meta")]);
      await caches.delete(CREW_CACHE);
      render();
    });
    render().then(function () {
      if (navigator.onLine) { sync(); }
    });
  }

  if (page) {
    startPage();
  } else {
    var section = document.getElementById("crew-save");
    if (section && window.caches) {
      section.hidden = false;
      saveUI(section.dataset.source, document.getElementById("crew-save-button"));
    }
  }

  window.MMCrew = { sync: sync, save: saveForTheRoad };
})();
