/*
 * Planner heatmap (/planung/): density cells from /api/v1/planning/bins for the current view
 * and zoom, coloured yellow → red, on top of our own vector layers (boundaries, roads), so
 * the map works without any tile server. The filters come from the page's form.
 */
(function () {
  "use strict";

  var config = MM.readJSON("map-config");
  var element = document.getElementById("planning-map");
  var status = document.getElementById("bins-status");
  if (!config || !element || typeof L === "undefined") {
    return;
  }
  var strings = config.strings || {};
  var map = MM.createMap(element, config);
  MM.vectorLayers(map, config, { labels: true });
  var PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
  var bins = L.geoJSON(null, {
    style: function (feature) {
      return {
        color: "#7a2e00", weight: 0.5, fillOpacity: 0.65,
        fillColor: colour(feature.properties.count, bins.max || 1),
      };
    },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(MM.format(strings.binTitle, { count: feature.properties.count }));
    },
  }).addTo(map);
  var controller = null;

  /* Log scale: a few very busy cells would otherwise wash out everything else. */
  function colour(count, max) {
    var share = Math.log(1 + count) / Math.log(1 + max);
    return PALETTE[Math.min(PALETTE.length - 1, Math.floor(share * PALETTE.length))];
  }

  function shape() {
    var select = document.getElementById("bin-shape");
    return select ? select.value : config.shape;
  }

  var refresh = MM.debounce(function () {
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    status.textContent = strings.binsLoading;
    var params = Object.assign({}, config.filters || {}, {
      bbox: MM.bboxParam(map), zoom: map.getZoom(), shape: shape(),
    });
    MM.getJSON(config.api.bins, params, controller.signal).then(function (result) {
      if (result.aborted) {
        return;
      }
      if (!result.ok || !result.body) {
        status.textContent = strings.binsFailed;
        return;
      }
      bins.clearLayers();
      bins.max = result.body.max;
      bins.addData(result.body);
      status.textContent = MM.format(strings.binsLoaded, {
        total: result.body.total, cells: result.body.features.length, size: result.body.cell_size_m,
      });
    });
  }, 250);

  map.on("moveend", refresh);
  var select = document.getElementById("bin-shape");
  if (select) {
    select.addEventListener("change", refresh);
  }
  refresh();
})();
