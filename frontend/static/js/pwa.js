/* Registers the service worker (/sw.js, frontend/pwa.py) for the whole site: the app shell
   and base-map tiles are cached, and a page that cannot load offline shows the offline page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = (script && script.dataset.sw) || "/sw.js";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
        // No worker (private mode, old browser): the portal works as before, only online.
      });
    });
  }
})();
