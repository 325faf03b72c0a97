/*
 * Shared helpers for the citizen map pages (plain JavaScript, no build step).
 *
 * - reads the page's configuration (json_script "map-config"),
 * - sets up Leaflet with our own base map (vector tiles drawn by MapLibre, js/basemap.js, over
 *   the operator's optional raster layers),
 * - draws our own vector layers for the current view: boundaries always, roads and assets
 *   only when zoomed in (invisible but clickable once the base map shows them itself), so
 *   the map stays useful where WebGL is missing,
 * - small fetch helpers that send the CSRF token.
 */
(function (global) {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  /* "%(name)s" placeholders, as in the Django translations. */
  function format(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function buildUrl(path, params) {
    var url = new URL(path, window.location.origin);
    Object.keys(params || {}).forEach(function (key) {
      var value = params[key];
      if (value !== undefined && value !== null && value !== "") {
        url.searchParams.set(key, value);
      }
    });
    return url.toString();
  }

  async function readBody(response) {
    try {
      return await response.json();
    } catch (error) {
      return null;
    }
  }

  /* GET JSON; never throws for HTTP errors: {ok, status, body}. Network errors and aborts
     come back as status 0. */
  async function getJSON(path, params, signal) {
    try {
      var response = await fetch(buildUrl(path, params), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: signal,
      });
      return { ok: response.ok, status: response.status, body: await readBody(response) };
    } catch (error) {
      return { ok: false, status: 0, body: null, aborted: error && error.name === "AbortError" };
    }
  }

  /* POST a FormData or a plain object (sent as JSON) with the CSRF header. */
  async function post(path, data) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    var body = data;
    if (!(data instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(data || {});
    }
    try {
      var response = await fetch(buildUrl(path), {
        method: "POST",
        headers: headers,
        body: body,
        credentials: "same-origin",
      });
      return { ok: response.ok, status: response.status, body: await readBody(response) };
    } catch (error) {
      return { ok: false, status: 0, body: null };
    }
  }

  /* DRF error bodies nest lists and dicts: turn any of them into a flat list of strings. */
  function messages(value) {
    if (value === null || value === undefined) {
      return [];
    }
    if (Array.isArray(value)) {
      return value.reduce(function (all, item) { return all.concat(messages(item)); }, []);
    }
    if (typeof value === "object") {
      return Object.keys(value).reduce(function (all, key) {
        return all.concat(messages(value[key]));
      }, []);
    }
    return [String(value)];
  }

  function debounce(fn, wait) {
    var timer = null;
    function debounced() {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { fn.apply(null, args); }, wait);
    }
    debounced.cancel = function () { window.clearTimeout(timer); };
    return debounced;
  }

  function clamp(value, min, max) {
    return Math.min(max, Math.max(min, value));
  }

  /* The map's view as our API's bbox parameter (clamped to valid coordinates). */
  function bboxParam(map) {
    var bounds = map.getBounds();
    return [
      clamp(bounds.getWest(), -180, 180),
      clamp(bounds.getSouth(), -90, 90),
      clamp(bounds.getEast(), -180, 180),
      clamp(bounds.getNorth(), -90, 90),
    ].map(function (v) { return v.toFixed(5); }).join(",");
  }

  /* The base map (js/basemap.js, MapLibre GL through its Leaflet layer): the scripts are loaded
     once, on the first map, from our own static files; MapLibre's worker too (CSP build). */
  var baseMapLibraries = null;
  // Every map of the page (for scripts and browser tests that move the view).
  var createdMaps = [];

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadBaseMapLibraries(basemap) {
    if (!baseMapLibraries) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = basemap.css;
      document.head.appendChild(link);
      baseMapLibraries = basemap.scripts.reduce(function (ready, src) {
        return ready.then(function () { return loadScript(src); });
      }, Promise.resolve()).then(function () { global.maplibregl.setWorkerUrl(basemap.worker); });
    }
    return baseMapLibraries;
  }

  function webglAvailable() {
    try {
      var canvas = document.createElement("canvas");
      return !!(canvas.getContext("webgl2") || canvas.getContext("webgl"));
    } catch (error) {
      return false;
    }
  }

  /* Without WebGL: the raster layers as plain Leaflet tiles, else our vector overlays alone.
     The map element's data-basemap says what happened ("loaded" once MapLibre drew). */
  function addBaseMap(map, basemap, element) {
    var raster = basemap.raster || [];
    element.classList.add("map--no-tiles");
    if (!basemap.vector && !raster.length) {
      element.dataset.basemap = "none";
      return;
    }
    if (!webglAvailable()) {
      raster.forEach(function (source) {
        L.tileLayer(source.tiles, { attribution: source.attribution, maxZoom: 19 }).addTo(map);
      });
      element.dataset.basemap = "no-webgl";
      return;
    }
    element.dataset.basemap = "loading";
    loadBaseMapLibraries(basemap).then(function () {
      var layer = L.maplibreGL({
        style: global.MMBaseMap.style(basemap, window.location.origin), interactive: false,
      }).addTo(map);
      element.classList.remove("map--no-tiles");
      element.classList.add("map--basemap");
      map.mmBaseMap = layer;
      map.fire("mmbasemap");
      layer.getMaplibreMap().on("idle", function () { element.dataset.basemap = "loaded"; });
    }).catch(function () {
      element.dataset.basemap = "failed";
    });
  }

  function createMap(element, config, options) {
    var strings = config.strings || {};
    var map = L.map(element, Object.assign(
      { zoomSnap: 0.5, keyboard: true, minZoom: 5, maxZoom: 19, zoomControl: false }, options || {}
    ));
    L.control.zoom({
      zoomInTitle: strings.zoomIn || "Zoom in", zoomOutTitle: strings.zoomOut || "Zoom out",
    }).addTo(map);
    // Metres and kilometres (Leaflet's default would add miles and feet).
    L.control.scale({ imperial: false, metric: true, maxWidth: 120 }).addTo(map);
    createdMaps.push(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    addBaseMap(map, config.basemap || {}, element);
    if (config.bounds) {
      map.fitBounds(config.bounds, { padding: [8, 8] });
    }
    // Leaflet's map container is focusable (arrow keys pan, + and - zoom): give it a name.
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", strings.mapLabel || "Karte");
    return map;
  }

  var BOUNDARY_STYLE = {
    kreis: { color: "#00335a", weight: 3, fill: false },
    samtgemeinde: { color: "#00508c", weight: 2, dashArray: "8 5", fill: false },
    gemeinde: { color: "#00508c", weight: 1.5, dashArray: "4 4", fill: false },
  };
  var ROAD_COLOURS = { A: "#1e3a8a", B: "#b91c1c", L: "#c2410c", K: "#b45309", G: "#4b5563", O: "#6b7280" };
  var ASSET_COLOURS = {
    streetlight: "#a16207", bench: "#6b21a8", bin: "#166534", playground: "#be185d",
    sign: "#1d4ed8", tree: "#15803d", traffic_signal: "#b91c1c", hydrant: "#c2410c",
    bus_stop: "#0e7490", other: "#374151",
  };

  function roadLabel(p) {
    return [p.ref, p.name].filter(Boolean).join(" · ") + (p.class_label ? " (" + p.class_label + ")" : "");
  }

  function assetLabel(p) {
    return [p.type_label, p.external_id, p.name].filter(Boolean).join(" · ");
  }

  /*
   * Our vector layers for the current view. Options: assets (bool), assetTypes (list or
   * null for all), labels (town names), roadsMaxDegrees (roads only for views at most this
   * big; the API refuses 0.5°), assetsMinZoom, onAssetClick(feature, layer).
   */
  function vectorLayers(map, config, options) {
    var opts = Object.assign(
      {
        assets: false, assetTypes: null, labels: true, roadsMaxDegrees: 0.3, assetsMinZoom: 16,
        onAssetClick: null,
      },
      options || {}
    );
    // Once the base map is drawn it shows boundaries, roads and names itself: our overlays
    // then stay invisible (roads keep their hover names and click targets).
    var boundaries = L.geoJSON(null, {
      interactive: false,
      style: function (feature) {
        if (map.mmBaseMap) {
          return { opacity: 0, fill: false };
        }
        return BOUNDARY_STYLE[feature.properties.level] || BOUNDARY_STYLE.gemeinde;
      },
      onEachFeature: function (feature, layer) {
        // Town names: without base tiles they are what tells people where they are.
        if (opts.labels && feature.properties.level === "gemeinde") {
          layer.bindTooltip(feature.properties.name, {
            permanent: true, direction: "center", className: "boundary-label", interactive: false,
          });
        }
      },
    }).addTo(map);
    var roads = L.geoJSON(null, {
      style: function (feature) {
        var cls = feature.properties["class"];
        if (map.mmBaseMap) {
          return { color: "#000000", weight: 10, opacity: 0 };
        }
        return { color: ROAD_COLOURS[cls] || "#6b7280", weight: "ABLK".indexOf(cls) >= 0 ? 5 : 3, opacity: 0.75 };
      },
      onEachFeature: function (feature, layer) {
        var label = roadLabel(feature.properties);
        if (label) {
          layer.bindTooltip(label, { sticky: true });
        }
      },
    }).addTo(map);
    var assets = L.geoJSON(null, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          className: "asset-marker asset-marker--" + feature.properties.type,
          radius: 8,
          weight: 3,
          color: "#ffffff",
          fillColor: ASSET_COLOURS[feature.properties.type] || "#374151",
          fillOpacity: 1,
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(assetLabel(feature.properties));
        if (opts.onAssetClick) {
          layer.on("click", function (event) {
            L.DomEvent.stopPropagation(event);
            opts.onAssetClick(feature, layer);
          });
        }
      },
    }).addTo(map);

    // A town's name only where its area is wide enough on screen for the label.
    function updateLabels() {
      boundaries.eachLayer(function (layer) {
        if (!layer.getTooltip()) {
          return;
        }
        if (map.mmBaseMap) {
          layer.closeTooltip();
          return;
        }
        var bounds = layer.getBounds();
        var width = map.latLngToContainerPoint(bounds.getNorthEast()).x -
          map.latLngToContainerPoint(bounds.getSouthWest()).x;
        if (width > layer.feature.properties.name.length * 8 + 24) {
          layer.openTooltip();
        } else {
          layer.closeTooltip();
        }
      });
    }
    map.on("zoomend", updateLabels);
    map.on("mmbasemap", function () {
      boundaries.setStyle(boundaries.options.style);
      roads.setStyle(roads.options.style);
      updateLabels();
    });

    var controllers = {};
    function load(name, layer, path, params) {
      if (controllers[name]) {
        controllers[name].abort();
      }
      var controller = new AbortController();
      controllers[name] = controller;
      return getJSON(path, params, controller.signal).then(function (result) {
        if (result.ok && controllers[name] === controller) {
          layer.clearLayers();
          layer.addData(result.body);
          if (layer === boundaries) {
            updateLabels();
          }
        }
      });
    }
    function clear(name, layer) {
      if (controllers[name]) {
        controllers[name].abort();
        controllers[name] = null;
      }
      layer.clearLayers();
    }

    var refresh = debounce(function () {
      var zoom = map.getZoom();
      var bbox = bboxParam(map);
      var size = map.getBounds();
      var small = size.getEast() - size.getWest() <= opts.roadsMaxDegrees &&
        size.getNorth() - size.getSouth() <= opts.roadsMaxDegrees;
      load("boundaries", boundaries, config.api.boundaries, { bbox: bbox });
      if (small) {
        load("roads", roads, config.api.roads, { bbox: bbox });
      } else {
        clear("roads", roads);
      }
      if (opts.assets && zoom >= opts.assetsMinZoom) {
        var params = { bbox: bbox };
        if (opts.assetTypes && opts.assetTypes.length) {
          params.type = opts.assetTypes.join(",");
        }
        load("assets", assets, config.api.assets, params);
      } else {
        clear("assets", assets);
      }
    }, 250);
    map.on("moveend", refresh);
    refresh();
    return { boundaries: boundaries, roads: roads, assets: assets, refresh: refresh };
  }

  var STATUS_GROUPS = {
    new: "open", in_review: "open", forwarded: "open",
    planned: "progress", in_progress: "progress",
    done: "done",
    rejected: "closed", duplicate: "closed",
  };
  var STATUS_GLYPHS = { open: "!", progress: "…", done: "✓", closed: "×" };

  /* A report marker: colour and glyph by status group (never colour alone). */
  function statusIcon(status) {
    var group = STATUS_GROUPS[status] || "open";
    return L.divIcon({
      className: "report-marker report-marker--" + group,
      html: '<span aria-hidden="true">' + STATUS_GLYPHS[group] + "</span>",
      iconSize: [28, 28],
      iconAnchor: [14, 14],
      popupAnchor: [0, -14],
    });
  }

  function formatDate(iso) {
    var date = new Date(iso);
    return date.toLocaleDateString(document.documentElement.lang || "de", {
      day: "numeric", month: "long", year: "numeric",
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") {
        node.textContent = attrs[key];
      } else if (key === "className") {
        node.className = attrs[key];
      } else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) {
        node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  global.MM = {
    readJSON: readJSON,
    format: format,
    csrfToken: csrfToken,
    buildUrl: buildUrl,
    getJSON: getJSON,
    post: post,
    messages: messages,
    debounce: debounce,
    bboxParam: bboxParam,
    createMap: createMap,
    maps: createdMaps,
    vectorLayers: vectorLayers,
    statusIcon: statusIcon,
    statusGroups: STATUS_GROUPS,
    formatDate: formatDate,
    el: el,
  };
})(window);
