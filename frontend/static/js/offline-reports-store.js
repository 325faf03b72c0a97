/*
 * The citizens' offline report queue on the device (docs/offline.md): IndexedDB through the
 * `idb` package (vendor/idb/umd.js, loaded before this file). Shared by the report page
 * (offline-reports.js) and the service worker (/sw.js, which replays queued requests with
 * Workbox's background sync): both read and write the same database.
 *
 * An entry: {key (the Idempotency-Key, a UUID), url, created, fields: [[name, value]],
 * photos: [{name, type, blob}], summary: {category, place, lat, lon, categorySlug}, csrf,
 * status: "waiting" | "sent" | "failed", result (the API's answer), errors, lastError}.
 * Sending the same entry twice (sync and the page's own retry) files one report: the API
 * answers a repeated key with the first report.
 */
(function (scope) {
  "use strict";

  var DB_NAME = "mm-offline";
  var STORE = "reports";
  var KEY_HEADER = "Idempotency-Key";
  // The page's own retries carry this header: the worker lets them through without queueing
  // another copy (its first attempt is queued already).
  var RETRY_HEADER = "X-Offline-Retry";
  var KEEP_SENT_DAYS = 30;

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = scope.idb.openDB(DB_NAME, 1, {
        upgrade: function (database) {
          var store = database.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("created", "created");
        },
      });
    }
    return dbPromise;
  }

  function available() {
    return Boolean(scope.indexedDB && scope.idb);
  }

  /* A random UUID (v4): crypto.randomUUID where the browser has it. */
  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) {
      return scope.crypto.randomUUID();
    }
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10, 16)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  async function all() {
    var entries = await (await db()).getAllFromIndex(STORE, "created");
    return entries;
  }

  async function get(key) {
    return (await db()).get(STORE, key);
  }

  async function put(entry) {
    await (await db()).put(STORE, entry);
    return entry;
  }

  async function remove(key) {
    await (await db()).delete(STORE, key);
  }

  /* Sent entries older than KEEP_SENT_DAYS leave the list. */
  async function prune() {
    var cutoff = Date.now() - KEEP_SENT_DAYS * 24 * 3600 * 1000;
    var entries = await all();
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      if (entry.status !== "waiting" && Date.parse(entry.sentAt || entry.created) < cutoff) {
        await remove(entry.key);
      }
    }
  }

  function flatten(value) {
    if (value === null || value === undefined) {
      return [];
    }
    if (Array.isArray(value)) {
      return value.reduce(function (list, item) { return list.concat(flatten(item)); }, []);
    }
    if (typeof value === "object") {
      return Object.keys(value).reduce(function (list, k) { return list.concat(flatten(value[k])); }, []);
    }
    return [String(value)];
  }

  /* Write the API's answer into the entry: 201 → sent (with the routing result), 400/422 →
     failed (with the messages), anything else → still waiting. Returns the entry's status. */
  async function record(key, response) {
    var entry = await get(key);
    if (!entry) {
      return "gone";
    }
    var body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (response.status === 201 && body) {
      entry.status = "sent";
      entry.sentAt = new Date().toISOString();
      entry.result = {
        id: body.id,
        reference: body.reference,
        authority: body.authority && body.authority.name,
        detail: body.detail || "",
        tracking_url: body.tracking_url,
        url: body.url,
        confirmation_required: Boolean(body.confirmation_required),
        replayed: response.headers.get("Idempotent-Replayed") === "true",
      };
      if (body.address && entry.summary) {
        entry.summary.place = body.address; // the server's name of the place
      }
      entry.photos = []; // sent: the device needs the photos no more
      entry.fields = [];
    } else if (response.status === 400 || response.status === 422) {
      entry.status = "failed";
      entry.errors = flatten(body);
    } else {
      entry.lastError = response.status;
    }
    await put(entry);
    return entry.status;
  }

  function formData(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    entry.photos.forEach(function (photo) { data.append("photos", photo.blob, photo.name); });
    return data;
  }

  /* Send one waiting entry. csrf: the page's current token (the stored one otherwise). */
  async function send(entry, csrf) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf || entry.csrf };
    headers[KEY_HEADER] = entry.key;
    headers[RETRY_HEADER] = "1";
    var response;
    try {
      response = await fetch(entry.url, {
        method: "POST", headers: headers, body: formData(entry), credentials: "same-origin",
      });
    } catch (error) {
      return "waiting"; // still no connection
    }
    return record(entry.key, response);
  }

  var inFlight = {};

  /* Send every waiting entry, oldest first; one request per entry at a time in this context.
     Returns {sent, failed, waiting} counts. */
  async function sendAll(csrf) {
    var counts = { sent: 0, failed: 0, waiting: 0 };
    var entries = (await all()).filter(function (e) { return e.status === "waiting"; });
    for (var i = 0; i < entries.length; i++) {
      var key = entries[i].key;
      if (inFlight[key]) {
        counts.waiting++;
        continue;
      }
      inFlight[key] = true;
      try {
        var status = await send(entries[i], csrf);
        counts[status] = (counts[status] || 0) + 1;
      } finally {
        delete inFlight[key];
      }
    }
    return counts;
  }

  scope.MMOfflineStore = {
    KEY_HEADER: KEY_HEADER,
    RETRY_HEADER: RETRY_HEADER,
    available: available,
    newKey: newKey,
    all: all,
    get: get,
    put: put,
    remove: remove,
    prune: prune,
    record: record,
    send: send,
    sendAll: sendAll,
  };
})(self);
