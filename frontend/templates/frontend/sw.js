/* Mängelmelder service worker (frontend/pwa.py renders it at /sw.js). Workbox from npm, served
   from our own static files. */
importScripts("{{ workbox }}");
// IndexedDB through the `idb` package, for both offline queues below.
importScripts({{ idb_script|safe }});
workbox.setConfig({ modulePathPrefix: "{{ modules }}", debug: false });
workbox.core.setCacheNameDetails({ prefix: "mm" });
workbox.core.clientsClaim();

var OFFLINE_URL = {{ offline_url|safe }};

// The app shell: offline page, styles, scripts, icons, map libraries (revision = content hash).
workbox.precaching.precacheAndRoute({{ precache|safe }});
workbox.precaching.cleanupOutdatedCaches();

// Other static files (styles, scripts, fonts, images): from the cache, refreshed behind.
workbox.routing.registerRoute(
  function (options) {
    return options.url.origin === self.location.origin &&
      options.url.pathname.indexOf("{{ static_prefix }}") === 0;
  },
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: "mm-static",
    plugins: [new workbox.expiration.ExpirationPlugin({ maxEntries: 300 })],
  })
);

// Base-map tiles: shown from the cache at once (and offline), refreshed behind.
workbox.routing.registerRoute(
  function (options) {
    return options.url.origin === self.location.origin &&
      options.url.pathname.indexOf({{ tiles_prefix|safe }}) === 0;
  },
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: "mm-basemap",
    plugins: [
      new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] }),
      new workbox.expiration.ExpirationPlugin({
        maxEntries: {{ tile_entries }}, maxAgeSeconds: 30 * 24 * 3600,
      }),
    ],
  })
);

{% load static %}
// ---- Crews on the road (issue 16, item 4; js/crew-offline.js, tracker/staff/offline.py) -----
// Staff pages and photos come from the network; offline, a staff page shows the Unterwegs page
// and a photo the copy that "Für unterwegs speichern" put into the crew cache (only what the
// crew saved on purpose: nothing is cached here by merely visiting a page).
var CREW_CACHE = "mm-crew";
var CREW_PAGE = "{% url 'staff:offline' %}";
var CREW_MEDIA = "{% get_media_prefix %}";
workbox.routing.registerRoute(
  function (options) {
    var url = options.url;
    if (url.origin !== self.location.origin) {
      return false;
    }
    return options.request.mode === "navigate"
      ? url.pathname.indexOf("/arbeit/") === 0
      : url.pathname.indexOf(CREW_MEDIA) === 0;
  },
  function (options) {
    var request = options.request;
    return fetch(request).catch(function (error) {
      return caches.open(CREW_CACHE).then(function (cache) {
        return cache.match(request.mode === "navigate" ? CREW_PAGE : request, { ignoreSearch: true });
      }).then(function (response) {
        if (response) {
          return response;
        }
        throw error;
      });
    });
  }
);

// Changes the crew made offline (js/crew-queue.js): the page asks for a Background Sync when it
// queues one; the browser wakes this worker when the connection returns, also with the page
// closed. Still offline: the promise fails and the browser tries again later. The Web Lock in
// crew-queue.js keeps this and the page's own sending from sending a change twice.
importScripts({{ crew_queue_script|safe }});
self.addEventListener("sync", function (event) {
  var queue = self.MMCrewQueue;
  if (event.tag !== queue.SYNC_TAG) {
    return;
  }
  event.waitUntil(queue.syncAll().then(function (outcome) {
    return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (pages) {
      pages.forEach(function (page) { page.postMessage({ type: "MM_CREW_CHANGED", outcome: outcome }); });
      if (outcome === "offline") {
        throw new Error("still offline");
      }
    });
  }));
});
// ---- end of the crews' section ----------------------------------------------------------------

// Pages always from the network (they carry personal data); offline: the offline page.
workbox.routing.registerRoute(
  function (options) { return options.request.mode === "navigate"; },
  new workbox.strategies.NetworkOnly()
);
workbox.routing.setCatchHandler(function (options) {
  if (options.request.mode === "navigate") {
    return workbox.precaching.matchPrecache(OFFLINE_URL).then(function (response) {
      return response || Response.error();
    });
  }
  return Promise.resolve(Response.error());
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

// ---- Citizens' offline reports (docs/offline.md) ---------------------------------------------
// The report page (js/offline-reports.js) keeps a report it could not send in IndexedDB, with
// its Idempotency-Key. Its first attempt also lands here: Workbox's background sync queues the
// failed request and replays it when the browser reports a connection (the Background Sync
// API; where a browser lacks it, Workbox replays when the worker starts, and the page sends on
// its "online" event). A replay is skipped when the page has sent or discarded the report
// meanwhile; a double send files one report anyway (the API honours the key).
importScripts({{ offline_store_script|safe }});
(function () {
  var REPORTS_PATH = {{ reports_path|safe }};
  var store = self.MMOfflineStore;

  function tellPages(sent) {
    return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (pages) {
      pages.forEach(function (page) { page.postMessage({ type: "MM_REPORTS_CHANGED", sent: sent }); });
    });
  }

  async function replayReports(options) {
    var queue = options.queue;
    var item;
    var sent = 0;
    while ((item = await queue.shiftRequest())) {
      var key = item.request.headers.get(store.KEY_HEADER);
      var entry = key ? await store.get(key) : null;
      if (!entry || entry.status !== "waiting") {
        continue;
      }
      var response;
      try {
        response = await fetch(item.request.clone());
      } catch (error) {
        await queue.unshiftRequest(item);
        throw error; // still offline: Workbox asks for another sync
      }
      if ((await store.record(key, response)) === "sent") {
        sent++;
      }
    }
    await tellPages(sent);
  }

  workbox.routing.registerRoute(
    function (options) {
      var headers = options.request.headers;
      return options.url.origin === self.location.origin &&
        options.url.pathname === REPORTS_PATH &&
        headers.has(store.KEY_HEADER) && !headers.has(store.RETRY_HEADER);
    },
    new workbox.strategies.NetworkOnly({
      plugins: [
        new workbox.backgroundSync.BackgroundSyncPlugin("mm-reports", {
          maxRetentionTime: 30 * 24 * 60, // minutes
          onSync: replayReports,
        }),
      ],
    }),
    "POST"
  );
})();
