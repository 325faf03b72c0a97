/* Mängelmelder service worker (frontend/pwa.py renders it at /sw.js). Workbox from npm, served
   from our own static files. */
importScripts("{{ workbox }}");
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
