/*
 * /melden/ without a connection (docs/offline.md): a report that cannot be sent is kept on this
 * device (IndexedDB, offline-reports-store.js) with its photos and an idempotency key, shown
 * under "Wartet auf Verbindung", and sent when the connection returns: by the service worker's
 * Background Sync (Workbox) where the browser has it, by this page on its `online` event and
 * by the "Jetzt senden" button. Once sent, the list shows the API's answer: the number, the
 * responsible office and the tracking link, and possible duplicates nearby.
 *
 * report-new.js hands its FormData to MMOfflineReports.submit(); without this script (or
 * without IndexedDB) it sends as before.
 */
(function () {
  "use strict";

  var MM = window.MM;
  var Store = window.MMOfflineStore;
  var config = MM && MM.readJSON("map-config");
  if (!config || !config.offline || !Store || !Store.available() || !window.fetch) {
    return;
  }
  var S = config.offline;
  var el = MM.el;
  function $(id) { return document.getElementById(id); }

  var waitingBox = $("offline-waiting");
  var waitingList = $("offline-waiting-list");
  var sentBox = $("offline-sent");
  var sentList = $("offline-sent-list");
  var sendButton = $("offline-send-now");
  var statusLine = $("offline-status");
  var offlineNote = $("offline-note");
  if (!waitingBox || !sentBox) {
    return;
  }

  function announce(text) {
    statusLine.textContent = "";
    window.setTimeout(function () { statusLine.textContent = text; }, 50);
  }

  function when(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang || "de", {
      day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    });
  }

  function title(entry) {
    var s = entry.summary || {};
    return el("p", { className: "offline-report__title" }, [
      el("strong", { text: s.category || "" }), s.place ? " · " + s.place : "",
    ]);
  }

  function removeButton(entry, label) {
    var button = el("button", {
      type: "button", className: "button button--small button--secondary", text: label,
    });
    button.addEventListener("click", async function () {
      await Store.remove(entry.key);
      await render();
      (sendButton.offsetParent ? sendButton : $("id_description") || document.body).focus();
    });
    return button;
  }

  function waitingItem(entry) {
    var photos = entry.photos.length;
    var meta = [MM.format(S.savedAt, { date: when(entry.created) })];
    if (photos) {
      meta.push(photos === 1 ? S.photosOne : MM.format(S.photos, { count: photos }));
    }
    var children = [title(entry), el("p", { className: "offline-report__meta", text: meta.join(" · ") })];
    if (entry.status === "failed") {
      children.push(el("p", { className: "offline-report__error", text: S.failed + " " + (entry.errors || []).join(" ") }));
      children.push(el("p", {}, [removeButton(entry, S.discard)]));
    } else {
      children.push(el("p", { className: "offline-report__state" }, [
        el("span", { className: "badge badge--waiting", text: S.waiting }),
      ]));
      children.push(el("p", {}, [removeButton(entry, S.discardWaiting)]));
    }
    return el("li", { className: "offline-report offline-report--" + entry.status }, children);
  }

  function sentItem(entry) {
    var r = entry.result || {};
    var children = [
      title(entry),
      el("p", { className: "offline-report__state" }, [
        el("span", { className: "badge badge--sent", text: S.sent }), " ",
        MM.format(S.sentAs, { ref: r.reference }),
      ]),
      el("p", { className: "offline-report__authority" }, [
        el("strong", { text: MM.format(S.authority, { authority: r.authority || "" }) }),
      ]),
    ];
    if (r.detail) {
      children.push(el("p", { className: "offline-report__meta", text: r.detail }));
    }
    if (r.confirmation_required) {
      children.push(el("p", { className: "offline-report__meta", text: S.confirm }));
    }
    // The path only: the same page on whichever address this portal is opened.
    var tracking = r.tracking_url ? new URL(r.tracking_url, window.location.href).pathname : "";
    children.push(el("p", {}, [el("a", { href: tracking, text: S.track })]));
    if (entry.nearby && entry.nearby.length) {
      children.push(el("p", { text: S.nearby }));
      children.push(el("ul", { className: "offline-report__nearby" }, entry.nearby.map(function (n) {
        return el("li", {}, [el("a", { href: n.url, text: n.label })]);
      })));
    }
    children.push(el("p", {}, [removeButton(entry, S.hide)]));
    return el("li", { className: "offline-report offline-report--sent" }, children);
  }

  async function render() {
    var entries = await Store.all();
    var open = entries.filter(function (e) { return e.status !== "sent"; });
    var sent = entries.filter(function (e) { return e.status === "sent"; }).reverse();
    waitingList.innerHTML = "";
    open.forEach(function (entry) { waitingList.appendChild(waitingItem(entry)); });
    sentList.innerHTML = "";
    sent.forEach(function (entry) { sentList.appendChild(sentItem(entry)); });
    waitingBox.hidden = open.length === 0;
    sendButton.hidden = !open.some(function (e) { return e.status === "waiting"; });
    sentBox.hidden = sent.length === 0;
    return entries;
  }

  /* The duplicate check that could not run offline: open reports of the same category near
     the sent one, shown with the sent report. */
  async function checkNearby(entries) {
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      var s = entry.summary || {};
      if (entry.status !== "sent" || entry.nearbyChecked || !s.lat || !config.api.nearby) {
        continue;
      }
      var result = await MM.getJSON(config.api.nearby, { lat: s.lat, lon: s.lon, category: s.categorySlug });
      if (!result.ok || !result.body) {
        continue;
      }
      entry.nearby = (result.body.features || []).filter(function (f) {
        var id = f.id !== undefined && f.id !== null ? f.id : f.properties.id;
        return id !== entry.result.id;
      }).slice(0, 5).map(function (f) {
        return { url: f.properties.url, label: f.properties.reference + " · " + f.properties.category_name };
      });
      entry.nearbyChecked = true;
      await Store.put(entry);
    }
  }

  var busy = false;
  /* Send what waits (the "online" event, the button, a page load with a connection). */
  async function sendNow(fromButton) {
    if (busy) {
      return;
    }
    busy = true;
    sendButton.disabled = true;
    if (fromButton) {
      announce(S.sendingNow);
    }
    try {
      var counts = await Store.sendAll(MM.csrfToken());
      var entries = await render();
      if (counts.sent) {
        announce(S.sentOne);
        await checkNearby(entries);
        await render();
      } else if (fromButton && counts.waiting) {
        announce(S.stillOffline);
      }
    } finally {
      busy = false;
      sendButton.disabled = false;
    }
  }

  /* Split the page's FormData into text fields and photos (Blobs, kept in IndexedDB). */
  function entryFrom(url, data, key, summary) {
    var fields = [];
    var photos = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") {
        fields.push([name, value]);
      } else if (name === "photos") {
        photos.push({ name: value.name || "foto.jpg", type: value.type, blob: value });
      }
    });
    return {
      key: key, url: url, created: new Date().toISOString(), fields: fields, photos: photos,
      summary: summary, csrf: MM.csrfToken(), status: "waiting",
    };
  }

  async function readBody(response) {
    try {
      return await response.json();
    } catch (error) {
      return null;
    }
  }

  /* Send a new report with a fresh idempotency key; without a connection keep it here.
     Returns {ok, status, body} like MM.post, or {queued: true}. */
  async function submit(path, data, summary) {
    var key = Store.newKey();
    var url = MM.buildUrl(path);
    var headers = { Accept: "application/json", "X-CSRFToken": MM.csrfToken() };
    headers[Store.KEY_HEADER] = key;
    try {
      var response = await fetch(url, {
        method: "POST", headers: headers, body: data, credentials: "same-origin",
      });
      return { ok: response.ok, status: response.status, body: await readBody(response) };
    } catch (error) {
      // No connection (or it broke off): keep the report with its key. The service worker
      // has queued the same request for Background Sync where it could.
    }
    try {
      await Store.put(entryFrom(url, data, key, summary));
    } catch (error) {
      return { ok: false, status: 0, body: { detail: [S.noStorage] } };
    }
    await render();
    announce(S.saved);
    waitingBox.focus();
    return { queued: true };
  }

  function showConnection() {
    offlineNote.hidden = navigator.onLine;
  }

  sendButton.addEventListener("click", function () { sendNow(true); });
  window.addEventListener("online", function () {
    showConnection();
    sendNow(false);
  });
  window.addEventListener("offline", showConnection);
  if (navigator.serviceWorker) {
    // The worker sent queued reports (Background Sync): show its answers.
    navigator.serviceWorker.addEventListener("message", async function (event) {
      if (event.data && event.data.type === "MM_REPORTS_CHANGED") {
        var entries = await render();
        if (event.data.sent) {
          announce(S.sentOne);
          await checkNearby(entries);
          await render();
        }
      }
    });
  }

  window.MMOfflineReports = { submit: submit, sendNow: sendNow, render: render };

  showConnection();
  Store.prune().then(render).then(function (entries) {
    if (navigator.onLine && entries.some(function (e) { return e.status === "waiting"; })) {
      sendNow(false);
    } else {
      checkNearby(entries).then(render);
    }
  });
})();
