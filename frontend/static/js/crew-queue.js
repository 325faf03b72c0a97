/*
 * The crews' queue of changes on the device (docs/offline.md, issue 16 item 4), shared by the
 * Unterwegs page (js/crew-offline.js) and the service worker (/sw.js): both read and write the
 * same IndexedDB database "mm-crew" and send the waiting changes with the same code.
 *
 * Stores: "reports" (the saved staff detail of each report, without the reporter's contact
 * data), "changes" (status changes, notes and after-photos in the order they were made) and
 * "meta" ("saved": what was saved for the road; "sync": what sending needs without a page —
 * API root, who-am-I URL and the CSRF token).
 *
 * Sending runs under the Web Lock "mm-crew-sync", so the page's "Jetzt senden" and the
 * worker's Background Sync never send the same change twice; each change is read again right
 * before it is sent. A change carries the report version it was based on (expected_version):
 * 409 = someone changed the report meanwhile, the change waits for the crew's decision and
 * holds back the later changes of that report.
 */
(function (scope) {
  "use strict";

  var DB_NAME = "mm-crew";
  var SYNC_TAG = "mm-crew-changes";
  var LOCK = "mm-crew-sync";
  var CONTACT = ["reporter_name", "reporter_email", "reporter_phone"];

  var dbPromise = null;

  /* IndexedDB through the `idb` package (vendor/idb/umd.js, loaded before this file), as the
     citizens' offline queue (js/offline-reports-store.js). */
  function db() {
    if (!dbPromise) {
      dbPromise = scope.idb.openDB(DB_NAME, 1, {
        upgrade: function (database) {
          database.createObjectStore("reports", { keyPath: "id" });
          database.createObjectStore("changes", { keyPath: "seq", autoIncrement: true });
          database.createObjectStore("meta", { keyPath: "key" });
        },
      });
    }
    return dbPromise;
  }

  async function getAll(name) { return (await db()).getAll(name); }
  async function getOne(name, key) { return (await db()).get(name, key); }
  async function putOne(name, value) { return (await db()).put(name, value); }
  async function clearStore(name) { return (await db()).clear(name); }

  /* Several writes in one transaction: all of them or none. */
  async function inOneTransaction(name, work) {
    var transaction = (await db()).transaction(name, "readwrite");
    var writes = work(transaction.store);
    await Promise.all(writes.concat([transaction.done]));
  }

  function deleteMany(name, keys) {
    return inOneTransaction(name, function (s) {
      return keys.map(function (key) { return s.delete(key); });
    });
  }

  function putMany(name, values, clearFirst) {
    return inOneTransaction(name, function (s) {
      var writes = clearFirst ? [s.clear()] : [];
      return writes.concat(values.map(function (value) { return s.put(value); }));
    });
  }

  function inOrder(changes) {
    return changes.sort(function (a, b) { return a.seq - b.seq; });
  }

  function withoutContact(detail) {
    if (detail && detail.properties) {
      CONTACT.forEach(function (key) { delete detail.properties[key]; });
    }
    return detail;
  }

  /* What sending needs when no page is open (the worker has no cookies to read). */
  function rememberSync(api, me, csrf) {
    return putOne("meta", { key: "sync", api: api, me: me, csrf: csrf });
  }

  async function queueChange(reportId, action, body, photo) {
    var record = await getOne("reports", reportId);
    await putOne("changes", {
      reportId: reportId, reference: record.detail.properties.reference, action: action,
      body: body, photo: photo || null, photoName: photo ? photo.name || "nachher.jpg" : "",
      baseVersion: record.detail.properties.version, baseUpdated: record.detail.properties.updated_at,
      state: "waiting", createdAt: new Date().toISOString(),
    });
  }

  /* Waiting changes of the report that were based on `from` follow the crew's own change that
     took the report to `to` (they were made on top of it). */
  async function rebase(reportId, from, to) {
    var moved = (await getAll("changes")).filter(function (c) {
      return c.reportId === reportId && c.state === "waiting" && c.baseVersion === from;
    });
    moved.forEach(function (c) { c.baseVersion = to; });
    if (moved.length) {
      await putMany("changes", moved, false);
    }
  }

  async function post(url, body, csrf) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    try {
      var response = await fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" });
      var answer = null;
      try { answer = await response.json(); } catch (error) { answer = null; }
      return { ok: response.ok, status: response.status, body: answer };
    } catch (error) {
      return { ok: false, status: 0, body: null };
    }
  }

  function send(change, sync) {
    var url = sync.api + "/" + change.reportId + "/" + change.action;
    if (change.action === "photo") {
      var form = new FormData();
      form.append("photo", change.photo, change.photoName || "nachher.jpg");
      form.append("kind", "after");
      form.append("expected_version", change.baseVersion);
      return post(url, form, sync.csrf);
    }
    return post(url, Object.assign({}, change.body, { expected_version: change.baseVersion }), sync.csrf);
  }

  async function loggedIn(sync) {
    try {
      var response = await fetch(sync.me, { credentials: "same-origin", headers: { Accept: "application/json" } });
      return response.ok;
    } catch (error) {
      return false;
    }
  }

  async function record(change, result) {
    if (result.ok) {
      change.state = "sent";
      change.sentAt = new Date().toISOString();
      change.photo = null;
      await putOne("changes", change);
      await putOne("reports", { id: result.body.id, detail: withoutContact(result.body) });
      await rebase(change.reportId, change.baseVersion, result.body.properties.version);
      return;
    }
    if (result.status === 409 && result.body && result.body.current) {
      change.state = "conflict";
      change.message = result.body.detail;
      change.current = withoutContact(result.body.current);
      await putOne("reports", { id: change.current.id, detail: change.current });
    } else {
      change.state = "error";
      change.errors = result.body || {};
    }
    await putOne("changes", change);
  }

  /* One pass over the waiting changes, in order. A report with an open conflict or refusal
     holds back its later changes; other reports go on. No connection or no login: stop,
     everything keeps waiting. Returns "done", "offline" or "login". */
  async function sendWaiting(onStart) {
    var sync = await getOne("meta", "sync");
    var changes = inOrder(await getAll("changes"));
    var waiting = changes.filter(function (c) { return c.state === "waiting"; });
    if (!sync || !waiting.length) {
      return "done";
    }
    if (onStart) { onStart(); }
    var blocked = {};
    changes.forEach(function (c) {
      if (c.state === "conflict" || c.state === "error") { blocked[c.reportId] = true; }
    });
    for (var i = 0; i < waiting.length; i += 1) {
      // Read again: rebased by an earlier change of this pass, or decided on the page.
      var change = await getOne("changes", waiting[i].seq);
      if (!change || change.state !== "waiting" || blocked[change.reportId]) {
        continue;
      }
      var result = await send(change, sync);
      if (result.status === 0 || result.status >= 500) {
        return "offline";
      }
      if (result.status === 401 || (result.status === 403 && !(await loggedIn(sync)))) {
        return "login";
      }
      await record(change, result);
      if (!result.ok) {
        blocked[change.reportId] = true;
      }
    }
    return "done";
  }

  /* Send what waits, one sender at a time across the page and the worker. */
  function syncAll(onStart) {
    if (scope.navigator.locks) {
      return scope.navigator.locks.request(LOCK, function () { return sendWaiting(onStart); });
    }
    return sendWaiting(onStart);
  }

  /* Ask the browser to wake the worker when the connection returns (Background Sync API);
     false where the browser lacks it (the page then sends on "online" and "Jetzt senden"). */
  async function requestBackgroundSync() {
    if (!scope.navigator.serviceWorker || !scope.navigator.serviceWorker.controller) {
      return false;
    }
    try {
      var registration = await scope.navigator.serviceWorker.ready;
      if (!registration.sync) {
        return false;
      }
      await registration.sync.register(SYNC_TAG);
      return true;
    } catch (error) {
      return false;
    }
  }

  scope.MMCrewQueue = {
    SYNC_TAG: SYNC_TAG,
    getAll: getAll,
    getOne: getOne,
    putOne: putOne,
    putMany: putMany,
    clearStore: clearStore,
    deleteMany: deleteMany,
    inOrder: inOrder,
    withoutContact: withoutContact,
    rememberSync: rememberSync,
    queueChange: queueChange,
    rebase: rebase,
    syncAll: syncAll,
    requestBackgroundSync: requestBackgroundSync,
  };
})(self);
