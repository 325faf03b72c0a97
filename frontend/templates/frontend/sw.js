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
