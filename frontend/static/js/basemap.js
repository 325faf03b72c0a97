/*
 * The base map's style (MapLibre GL style spec), drawn from our own vector tiles
 * (/tiles/base/{z}/{x}/{y}.pbf, layers boundaries, places, roads, assets; boundaries.basemap)
 * over the optional raster layers the operator configured. Loaded by maps.js on demand.
 *
 * It reads like a road map: light land, Autobahn pink, Bundesstraße orange, Landesstraße
 * yellow, Kreisstraße pale yellow, town streets white with grey casing, street names along the
 * streets from close zoom, road numbers on the main roads, Gemeinde names large, Verwaltungs-
 * grenzen dashed purple. Zooms are MapLibre's (Leaflet's zoom minus one).
 *
 * No glyph server: without a "glyphs" URL MapLibre draws the letters locally with the
 * device's own sans-serif font, so labels work offline too.
 */
(function (global) {
  "use strict";

  var FONT = ["DejaVu Sans", "Noto Sans", "Arial", "sans-serif"];
  var FONT_BOLD = ["DejaVu Sans Bold", "Noto Sans Bold", "Arial Bold", "sans-serif"];
  var FILL = { A: "#e892a2", B: "#fcd6a4", L: "#f7fabf", K: "#fdfde0", G: "#ffffff", O: "#ffffff" };
  var CASING = { A: "#c24e6b", B: "#c0864a", L: "#a8ab6b", K: "#b4b49a", G: "#b8b2a8", O: "#c8c3ba" };
  // [zoom, width] pairs per class: the road's fill width in pixels.
  var WIDTH = {
    A: [[5, 1], [9, 2.5], [13, 7], [17, 22]],
    B: [[5, 0.8], [9, 2], [13, 6], [17, 19]],
    L: [[7, 0.6], [9, 1.4], [13, 5], [17, 16]],
    K: [[7, 0.5], [9, 1.2], [13, 4.5], [17, 15]],
    G: [[10, 0.4], [13, 2.5], [17, 12]],
    O: [[12, 0.4], [14, 1.5], [17, 6]],
  };
  var ORDER = ["O", "G", "K", "L", "B", "A"];
  var ASSET_COLOURS = [
    "streetlight", "#a16207", "bench", "#6b21a8", "bin", "#166534", "playground", "#be185d",
    "sign", "#1d4ed8", "tree", "#15803d", "traffic_signal", "#b91c1c", "hydrant", "#c2410c",
    "bus_stop", "#0e7490", "#374151",
  ];

  function widthExpr(stops, extra) {
    var expr = ["interpolate", ["exponential", 1.5], ["zoom"]];
    stops.forEach(function (stop) {
      expr.push(stop[0], stop[1] + (extra && stop[0] >= 9 ? extra : 0));
    });
    return expr;
  }

  function roadLayers() {
    var casings = [];
    var fills = [];
    ORDER.forEach(function (cls) {
      var minzoom = WIDTH[cls][0][0];
      var filter = ["==", ["get", "class"], cls];
      casings.push({
        id: "road-casing-" + cls, type: "line", source: "base", "source-layer": "roads",
        minzoom: Math.max(minzoom, 9), filter: filter,
        layout: { "line-cap": "round", "line-join": "round" },
        paint: { "line-color": CASING[cls], "line-width": widthExpr(WIDTH[cls], 2) },
      });
      fills.push({
        id: "road-" + cls, type: "line", source: "base", "source-layer": "roads",
        minzoom: minzoom, filter: filter,
        layout: { "line-cap": "round", "line-join": "round" },
        paint: {
          "line-color": minzoom >= 10 ? ["step", ["zoom"], CASING[cls], 12, FILL[cls]] : FILL[cls],
          "line-width": widthExpr(WIDTH[cls]),
        },
      });
    });
    return casings.concat(fills);
  }

  function boundaryLayer(level, colour, width, dash, minzoom) {
    return {
      id: "boundary-" + level, type: "line", source: "base", "source-layer": "boundaries",
      minzoom: minzoom || 0, filter: ["==", ["get", "level"], level],
      layout: { "line-join": "round" },
      paint: { "line-color": colour, "line-width": width, "line-dasharray": dash, "line-opacity": 0.85 },
    };
  }

  function labelLayers() {
    var halo = { "text-halo-color": "rgba(255,255,255,0.92)", "text-halo-width": 1.6 };
    return [
      {
        id: "road-ref", type: "symbol", source: "base", "source-layer": "roads", minzoom: 8,
        filter: ["all", ["has", "ref"], ["!=", ["get", "ref"], ""],
          ["in", ["get", "class"], ["literal", ["A", "B", "L", "K"]]]],
        layout: {
          "symbol-placement": "line", "symbol-spacing": 320,
          "text-field": ["get", "ref"], "text-font": FONT_BOLD,
          "text-size": ["interpolate", ["linear"], ["zoom"], 8, 10, 14, 12],
          "text-rotation-alignment": "viewport", "text-keep-upright": true,
        },
        paint: {
          "text-color": "#1f2937", "text-halo-width": 3,
          "text-halo-color": ["match", ["get", "class"], "A", "#f6c3cd", "B", "#fde3c1", "#fbfcd6"],
        },
      },
      {
        id: "road-name", type: "symbol", source: "base", "source-layer": "roads", minzoom: 13,
        filter: ["all", ["has", "name"], ["!=", ["get", "name"], ""]],
        layout: {
          "symbol-placement": "line", "symbol-spacing": 260,
          "text-field": ["get", "name"], "text-font": FONT,
          "text-size": ["interpolate", ["linear"], ["zoom"], 13, 10, 17, 14],
          "text-max-angle": 30, "text-padding": 2,
        },
        paint: Object.assign({ "text-color": "#374151" }, halo),
      },
      {
        id: "asset", type: "circle", source: "base", "source-layer": "assets", minzoom: 15,
        paint: {
          "circle-radius": ["interpolate", ["linear"], ["zoom"], 15, 2.5, 18, 5],
          "circle-color": ["match", ["get", "type"]].concat(ASSET_COLOURS),
          "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
        },
      },
      {
        id: "place-kreis", type: "symbol", source: "base", "source-layer": "places", maxzoom: 9,
        filter: ["in", ["get", "level"], ["literal", ["land", "kreis"]]],
        layout: {
          "text-field": ["get", "name"], "text-font": FONT_BOLD, "text-size": 15,
          "text-transform": "uppercase", "text-letter-spacing": 0.08, "text-max-width": 9,
        },
        paint: Object.assign({ "text-color": "#5b4370" }, halo),
      },
      {
        id: "place-gemeinde", type: "symbol", source: "base", "source-layer": "places", minzoom: 8,
        filter: ["in", ["get", "level"], ["literal", ["gemeinde", "samtgemeinde"]]],
        layout: {
          "text-field": ["get", "name"], "text-font": FONT_BOLD,
          "text-size": ["interpolate", ["linear"], ["zoom"], 8, 11, 12, 15, 15, 17],
          "text-max-width": 8, "text-padding": 6,
          "symbol-sort-key": ["match", ["get", "level"], "gemeinde", 1, 2],
        },
        paint: Object.assign({ "text-color": "#1f2937" }, halo),
      },
    ];
  }

  /* The style for basemap = map_config's "basemap" part; origin makes the tile URLs absolute
     (MapLibre fetches them in its worker). */
  function style(basemap, origin) {
    var sources = {};
    var layers = [];
    var raster = basemap.raster || [];
    if (!raster.length) {
      layers.push({ id: "land", type: "background", paint: { "background-color": "#f2efe9" } });
    }
    raster.forEach(function (source, index) {
      var url = source.tiles.indexOf("/") === 0 ? origin + source.tiles : source.tiles;
      sources["raster" + index] = {
        type: "raster", tiles: [url], tileSize: 256, attribution: source.attribution || "",
        minzoom: source.minzoom || 0, maxzoom: source.maxzoom || 19,
      };
      layers.push({ id: "raster" + index, type: "raster", source: "raster" + index });
    });
    if (basemap.vector) {
      sources.base = {
        type: "vector", tiles: [origin + basemap.vector], minzoom: 0, maxzoom: 16,
        attribution: basemap.vectorAttribution || "",
      };
      layers = layers.concat(
        [
          boundaryLayer("land", "#7a4f9a", ["interpolate", ["linear"], ["zoom"], 5, 1.5, 12, 4], [4, 2]),
          boundaryLayer("kreis", "#8d6aa8", ["interpolate", ["linear"], ["zoom"], 5, 1.2, 12, 3.5], [5, 2]),
          boundaryLayer("samtgemeinde", "#a78bbd", ["interpolate", ["linear"], ["zoom"], 8, 1, 14, 2.5], [4, 2], 8),
          boundaryLayer("gemeinde", "#b7a3c8", ["interpolate", ["linear"], ["zoom"], 8, 0.8, 14, 2], [2, 2], 7),
        ],
        roadLayers(),
        labelLayers()
      );
    }
    return { version: 8, sources: sources, layers: layers };
  }

  global.MMBaseMap = { style: style };
})(window);
