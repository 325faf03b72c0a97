/*
 * The route map of a Kontrollfahrt (phone first): the route's road segments coloured by state
 * (driven on this round, else inspected / due today / overdue) and the recorded GPS track,
 * growing live while the round runs (round.js sends "mm:inspection-fix"). Data from the page
 * (map-config "round"), so it works without WebGL; the base map comes from maps.js.
 */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  var pane = document.getElementById("map-pane");
  var element = document.getElementById("round-map");
  if (!config || !window.L || !pane || !element || !config.round) {
    return;
  }
  var S = config.strings;
  var data = config.round;
  var STYLE = {
    driven: { color: "#1d4ed8", weight: 7 },
    inspected: { color: "#15803d", weight: 5 },
    due: { color: "#b45309", weight: 5, dashArray: "10 6" },
    overdue: { color: "#b91c1c", weight: 5 },
  };

  pane.hidden = false;
  var map = MM.createMap(element, config);
  var bounds = L.latLngBounds([]);

  data.segments.forEach(function (segment) {
    var style = Object.assign({ opacity: 0.9, lineCap: "round" }, STYLE[segment.state] || STYLE.overdue);
    var line = L.polyline(segment.line, style).addTo(map);
    var record = config.recordUrl.replace("/0/", "/" + segment.id + "/");
    line.bindPopup(function () {
      return MM.el("div", { className: "report-popup" }, [
        MM.el("p", {}, [MM.el("strong", { text: segment.label })]),
        MM.el("p", { text: S[segment.state] || segment.state }),
        MM.el("p", { text: S.lastInspected + ": " + (segment.last ? MM.formatDate(segment.last) : S.never) }),
        MM.el("p", { text: S.nextDue + ": " + MM.formatDate(segment.due) }),
        MM.el("p", {}, [MM.el("a", { href: record, text: S.openRecord })]),
      ]);
    });
    bounds.extend(line.getBounds());
  });

  var track = L.polyline(data.track, {
    color: "#7e22ce", weight: 3, dashArray: "2 6", lineCap: "round", interactive: false,
  }).addTo(map);
  if (data.track.length) {
    bounds.extend(track.getBounds());
  }
  var here = null;

  function showHere(latlng) {
    if (!here) {
      here = L.circleMarker(latlng, {
        radius: 8, color: "#ffffff", weight: 3, fillColor: "#7e22ce", fillOpacity: 1,
        interactive: false,
      }).addTo(map);
      here.bindTooltip(S.here);
    } else {
      here.setLatLng(latlng);
    }
  }

  if (data.running && data.track.length) {
    showHere(data.track[data.track.length - 1]);
  }
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
  }

  document.addEventListener("mm:inspection-fix", function (event) {
    var latlng = [event.detail.lat, event.detail.lon];
    track.addLatLng(latlng);
    showHere(latlng);
    if (!map.getBounds().contains(latlng)) {
      map.panTo(latlng);
    }
  });
})();
