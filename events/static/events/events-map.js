/* /veranstaltungen/karte/ and an event's page: pins for the events in map-config.events
   (the list on the page says the same without JavaScript). */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  var element = document.getElementById("map");
  if (!config || !config.events || !config.events.length || !window.L || !element) {
    return;
  }
  element.hidden = false;
  var map = MM.createMap(element, config, { scrollWheelZoom: false });
  MM.vectorLayers(map, config, { assets: false, labels: false });
  var icon = L.divIcon({
    className: "event-marker", html: '<span aria-hidden="true">★</span>',
    iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -14],
  });
  var points = config.events.map(function (item) {
    var marker = L.marker([item.lat, item.lon], { icon: icon, title: item.title, alt: item.title })
      .addTo(map);
    if (item.url) {
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title + (item.when ? " (" + item.when + ")" : "");
      marker.bindPopup(link);
    }
    return [item.lat, item.lon];
  });
  if (points.length === 1) {
    map.setView(points[0], 16);
  } else {
    map.fitBounds(points, { padding: [48, 48], maxZoom: 15 });
  }
})();
