/*
 * The map of the Streckenkontrolle overview: the roads of the user's inspection plans coloured
 * by status (inspected / due today / overdue), drawn by MapLibre from our own vector tiles
 * (/arbeit/kontrollen/kacheln/{z}/{x}/{y}.pbf, layer "inspections") on top of the base map.
 * A tap on a road shows its last inspection, next due date and a link to its liability record.
 * The route list below says the same in text; without WebGL the map stays hidden.
 */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  var pane = document.getElementById("map-pane");
  var element = document.getElementById("inspection-map");
  var status = document.getElementById("map-status");
  if (!config || !window.L || !pane || !element || !config.inspectionTiles) {
    return;
  }
  var S = config.strings;
  var COLOURS = ["match", ["get", "status"], "overdue", "#b91c1c", "due", "#b45309", "#15803d"];
  var LAYERS = ["inspection-roads-casing", "inspection-roads"];

  pane.hidden = false;
  var map = MM.createMap(element, config);

  function addLayers(gl) {
    if (gl.getSource("inspections")) {
      return;
    }
    gl.addSource("inspections", {
      type: "vector",
      tiles: [window.location.origin + config.inspectionTiles],
      minzoom: 0,
      maxzoom: 16,
    });
    var width = ["interpolate", ["linear"], ["zoom"], 7, 2, 12, 4, 16, 9];
    // Under the base map's labels (road numbers and names stay readable).
    var labels = gl.getStyle().layers.filter(function (layer) { return layer.type === "symbol"; });
    var before = labels.length ? labels[0].id : undefined;
    gl.addLayer({
      id: LAYERS[0], type: "line", source: "inspections", "source-layer": "inspections",
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": "#ffffff", "line-width": ["+", width, 3] },
    }, before);
    gl.addLayer({
      id: LAYERS[1], type: "line", source: "inspections", "source-layer": "inspections",
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": COLOURS,
        "line-width": width,
        "line-dasharray": ["match", ["get", "status"], "due", ["literal", [2, 1]], ["literal", [1, 0]]],
      },
    }, before);
  }

  function popup(props) {
    var label = [props.ref, props.name].filter(Boolean).join(" ") || "#" + props.id;
    var record = config.recordUrl.replace("/0/", "/" + props.id + "/");
    return MM.el("div", { className: "report-popup" }, [
      MM.el("p", {}, [MM.el("strong", { text: label })]),
      MM.el("p", { text: S[props.status] || props.status }),
      MM.el("p", { text: S.lastInspected + ": " + (props.last_inspected ? MM.formatDate(props.last_inspected) : S.never) }),
      MM.el("p", { text: S.nextDue + ": " + MM.formatDate(props.next_due) }),
      MM.el("p", {}, [MM.el("a", { href: record, text: S.openRecord })]),
    ]);
  }

  map.on("mmbasemap", function () {
    var gl = map.mmBaseMap.getMaplibreMap();
    if (gl.isStyleLoaded()) {
      addLayers(gl);
    } else {
      gl.once("load", function () { addLayers(gl); });
    }
    gl.on("idle", function () { element.dataset.inspections = "loaded"; });
    map.on("click", function (event) {
      var point = gl.project([event.latlng.lng, event.latlng.lat]);
      var hits = gl.queryRenderedFeatures(
        [[point.x - 8, point.y - 8], [point.x + 8, point.y + 8]], { layers: [LAYERS[1]] }
      );
      if (hits.length) {
        L.popup().setLatLng(event.latlng).setContent(popup(hits[0].properties)).openOn(map);
      }
    });
  });

  // The base map tells when it could not be drawn (no WebGL, no vector tiles).
  window.setTimeout(function check() {
    var state = element.dataset.basemap;
    if (state === "loading") {
      window.setTimeout(check, 500);
    } else if (state !== "loaded" && !map.mmBaseMap) {
      pane.hidden = true;
      if (status) { status.textContent = S.noWebgl; }
    }
  }, 500);
})();
