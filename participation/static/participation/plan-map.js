/* A plan's page: the plan area on the map (config.planArea, GeoJSON in WGS84) and, while the
   plan takes statements (config.pinInput), an optional pin inside the area that fills the
   form's hidden lat/lon fields. Without JavaScript the form works without a pin; the server
   checks the pin again (a pin outside the area is refused there too). */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  var element = document.getElementById("map");
  if (!config || !config.planArea || !window.L || !element) {
    return;
  }
  element.hidden = false;
  var map = MM.createMap(element, config, { scrollWheelZoom: false });
  MM.vectorLayers(map, config, { assets: false, labels: false });
  var area = L.geoJSON(config.planArea, {
    interactive: false,
    style: { color: "#b45309", weight: 3, fillColor: "#f59e0b", fillOpacity: 0.18 },
  }).addTo(map);
  map.fitBounds(area.getBounds(), { padding: [24, 24], maxZoom: 17 });

  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var fieldset = document.getElementById("pin-field");
  if (!config.pinInput || !lat || !lon || !fieldset) {
    return;
  }
  fieldset.hidden = false;
  var status = document.getElementById("pin-status");
  var error = document.getElementById("pin-error");
  var clear = document.getElementById("pin-clear");
  var strings = config.strings || {};
  var marker = null;

  /* Ray casting on the rings of the (multi)polygon, holes included. */
  function inRing(point, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > point[1]) !== (yj > point[1]) &&
          point[0] < (xj - xi) * (point[1] - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }
  function inArea(point) {
    var polygons = config.planArea.type === "MultiPolygon" ?
      config.planArea.coordinates : [config.planArea.coordinates];
    return polygons.some(function (rings) {
      return inRing(point, rings[0]) && !rings.slice(1).some(function (hole) { return inRing(point, hole); });
    });
  }

  function set(latlng) {
    if (!latlng) {
      lat.value = "";
      lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      status.textContent = strings.pinNone || "";
      clear.hidden = true;
      return;
    }
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (!marker) {
      marker = L.marker(latlng, { title: strings.pinTitle || "", alt: strings.pinTitle || "" }).addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
    status.textContent = MM.format(strings.pinSet || "%(lat)s, %(lon)s", { lat: lat.value, lon: lon.value });
    clear.hidden = false;
  }

  map.on("click", function (event) {
    if (!inArea([event.latlng.lng, event.latlng.lat])) {
      error.textContent = strings.pinOutside || "";
      error.hidden = false;
      return;
    }
    error.hidden = true;
    set(event.latlng);
  });
  clear.addEventListener("click", function () { set(null); });
  if (lat.value && lon.value) {
    set(L.latLng(parseFloat(lat.value), parseFloat(lon.value)));
  }
})();
