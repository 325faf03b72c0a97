/*
 * Area alerts (/konto/benachrichtigungen/): draw the area on a map with Leaflet-Geoman; the
 * polygon goes as GeoJSON into the form's hidden "area" field. Without JavaScript the
 * fieldset stays hidden and the Gemeinde or circle fields are the way to choose an area.
 */
(function () {
  "use strict";

  function start() {
    var fieldset = document.querySelector("[data-alert-draw]");
    var input = document.getElementById("id_area");
    if (!fieldset || !input || !window.L || !window.MM || !L.PM) {
      return;
    }
    var config = MM.readJSON("map-config") || {};
    var strings = MM.readJSON("alert-draw-strings") || {};
    var status = document.getElementById("alert-draw-status");
    var clear = fieldset.querySelector("[data-alert-clear]");
    fieldset.hidden = false;
    var map = MM.createMap(document.getElementById("alert-map"), config);
    MM.vectorLayers(map, config, { assets: false });
    map.pm.setLang(document.documentElement.lang === "en" ? "en" : "de");
    map.pm.addControls({
      position: "topleft",
      drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawText: false,
      drawCircle: false, drawRectangle: true, drawPolygon: true,
      editMode: true, dragMode: false, cutPolygon: false, removalMode: false, rotateMode: false,
    });
    // Geoman's buttons are links with an icon only; their name is on the wrapper's title.
    fieldset.querySelectorAll(".leaflet-buttons-control-button").forEach(function (button) {
      var title = button.parentElement && button.parentElement.getAttribute("title");
      if (title) {
        button.setAttribute("aria-label", title);
      }
    });
    var drawn = null;

    function store() {
      input.value = drawn ? JSON.stringify(drawn.toGeoJSON().geometry) : "";
      clear.hidden = !drawn;
    }

    if (input.value) {
      // The form came back with an error: show what was drawn.
      try {
        drawn = L.geoJSON(JSON.parse(input.value)).getLayers()[0] || null;
        if (drawn) {
          drawn.addTo(map);
          map.fitBounds(drawn.getBounds());
        }
      } catch (error) {
        input.value = "";
      }
    }

    map.on("pm:create", function (event) {
      if (drawn) {
        map.removeLayer(drawn);
      }
      drawn = event.layer;
      drawn.on("pm:edit", store);
      store();
      status.textContent = strings.drawn || "";
    });
    clear.addEventListener("click", function () {
      if (drawn) {
        map.removeLayer(drawn);
        drawn = null;
      }
      store();
      status.textContent = strings.cleared || "";
    });
    store();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
