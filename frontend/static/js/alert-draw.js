/*
 * Area alerts (/konto/benachrichtigungen/): the centre of the circle is found with the report
 * form's place search (/api/v1/places) or tapped on the map (named with /api/v1/reverse); both
 * fill the hidden lat/lon fields and show the circle. Leaflet-Geoman draws an area instead; the
 * polygon goes as GeoJSON into the hidden "area" field. Without JavaScript the map stays hidden
 * and the server searches the typed place by name (notifications.forms.AreaAlertForm).
 */
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-alert-draw]");
    var input = document.getElementById("id_area");
    if (!box || !input || !window.L || !window.MM || !L.PM) {
      return;
    }
    var config = MM.readJSON("map-config") || {};
    var strings = MM.readJSON("alert-draw-strings") || {};
    var status = document.getElementById("alert-draw-status");
    var clear = box.querySelector("[data-alert-clear]");
    var place = document.getElementById("id_place");
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var radius = document.getElementById("id_radius_m");
    var searchButton = document.querySelector("[data-alert-search]");
    var results = document.getElementById("alert-place-results");
    var searchStatus = document.getElementById("alert-place-status");
    var centreNote = document.getElementById("alert-centre");
    box.hidden = false;
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
    box.querySelectorAll(".leaflet-buttons-control-button").forEach(function (button) {
      var title = button.parentElement && button.parentElement.getAttribute("title");
      if (title) {
        button.setAttribute("aria-label", title);
      }
    });
    var drawn = null;
    var circle = null;

    // --- the centre: search hit or tap --------------------------------------------------
    function metres() {
      var value = parseInt(radius && radius.value, 10);
      return value > 0 ? value : 500;
    }

    function showCentre(latValue, lonValue, label, fit) {
      lat.value = latValue.toFixed(6);
      lon.value = lonValue.toFixed(6);
      if (label) {
        place.value = label;
      }
      if (circle) {
        map.removeLayer(circle);
      }
      circle = L.circle([latValue, lonValue], { radius: metres(), weight: 2 }).addTo(map);
      if (fit) {
        map.fitBounds(circle.getBounds(), { maxZoom: 16 });
      }
      centreNote.textContent = MM.format(strings.centre || "%(place)s", { place: place.value });
    }

    function forgetCentre() {
      lat.value = "";
      lon.value = "";
      if (circle) {
        map.removeLayer(circle);
        circle = null;
      }
      centreNote.textContent = "";
    }

    async function search() {
      var query = place.value.trim();
      if (query.length < 2) {
        return;
      }
      searchStatus.textContent = strings.searching || "";
      var result = await MM.getJSON(box.getAttribute("data-places-url"), { q: query });
      results.textContent = "";
      if (!result.ok) {
        searchStatus.textContent = strings.failed || "";
        results.hidden = true;
        return;
      }
      var features = (result.body && result.body.features) || [];
      features.forEach(function (feature) {
        var p = feature.properties;
        var button = MM.el("button", { type: "button", className: "place-result" }, [
          MM.el("span", { className: "place-result__label", text: p.label }),
          p.detail ? MM.el("span", { className: "place-result__detail", text: p.detail }) : null,
        ]);
        button.addEventListener("click", function () {
          var c = feature.geometry.coordinates;
          results.hidden = true;
          showCentre(c[1], c[0], p.label, true);
          place.focus();
        });
        results.appendChild(MM.el("li", {}, [button]));
      });
      results.hidden = !features.length;
      searchStatus.textContent = features.length
        ? MM.format(strings.found || "", { count: features.length })
        : strings.none || "";
    }

    searchButton.hidden = false;
    searchButton.addEventListener("click", search);
    place.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
    place.addEventListener("input", forgetCentre);
    if (radius) {
      radius.addEventListener("input", function () {
        if (circle) {
          circle.setRadius(metres());
        }
      });
    }
    map.on("click", async function (event) {
      if (map.pm.globalDrawModeEnabled() || drawn) {
        return;
      }
      var point = event.latlng;
      showCentre(point.lat, point.lng, strings.mapPoint || "", false);
      var named = await MM.getJSON(box.getAttribute("data-reverse-url"), {
        lat: point.lat.toFixed(6), lon: point.lng.toFixed(6),
      });
      if (named.ok && named.body && named.body.label && lat.value === point.lat.toFixed(6)) {
        showCentre(point.lat, point.lng, named.body.label, false);
      }
    });
    if (lat.value && lon.value) {
      showCentre(parseFloat(lat.value), parseFloat(lon.value), "", true);
    }

    // --- a drawn area ----------------------------------------------------------------------
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
      // A drawn area replaces the place and its circle.
      place.value = "";
      forgetCentre();
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
