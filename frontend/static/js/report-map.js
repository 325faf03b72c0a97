/* /meldungen/<id>/: a small map around the report's approximate location. */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  var element = document.getElementById("map");
  if (!config || !config.report || !window.L || !element) {
    return;
  }
  element.hidden = false;
  var map = MM.createMap(element, Object.assign({}, config, { bounds: null }), {
    scrollWheelZoom: false,
  });
  var where = L.latLng(config.report.lat, config.report.lon);
  map.setView(where, 17);
  MM.vectorLayers(map, config, { assets: false, labels: false });
  // A circle, not a pin: the public location is deliberately approximate.
  L.circle(where, {
    radius: 20, color: "#c2410c", weight: 3, fillColor: "#c2410c", fillOpacity: 0.25,
    interactive: false,
  }).addTo(map);
  L.marker(where, { icon: MM.statusIcon(config.report.status), keyboard: false, interactive: false })
    .addTo(map);
})();
