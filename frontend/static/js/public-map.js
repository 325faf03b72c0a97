/*
 * /karte/: public reports for the current view from GET /api/v1/reports (all pages, up to a
 * cap), clustered on the map and listed beside it. The server-rendered list and the filter
 * form work without this script; with it, the list follows the map.
 */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  if (!config || !window.L || !L.markerClusterGroup || !window.fetch) {
    return;
  }
  var S = config.strings;
  var MAX_REPORTS = 2000; // 4 pages of 500: plenty for one view, bounded for the browser
  var MAX_LISTED = 100;

  function $(id) { return document.getElementById(id); }
  var el = MM.el;

  var filters = $("map-filters");
  var list = $("report-list");
  var listHeading = $("report-list-heading");
  var listStatus = $("list-status");
  var pagination = $("pagination");

  $("map-pane").hidden = false;
  document.querySelector(".map-page").classList.add("map-page--with-map");
  document.body.classList.add("map-mode");
  if (pagination) {
    pagination.remove(); // the list now follows the map's view
  }

  var map = MM.createMap($("map"), config);
  MM.vectorLayers(map, config, { assets: false });
  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    iconCreateFunction: function (cluster) {
      var count = cluster.getChildCount();
      return L.divIcon({
        className: "cluster-icon",
        html: "<span>" + count + '<span class="visually-hidden"> ' +
          MM.format(S.reportsCount, { count: count }) + "</span></span>",
        iconSize: [40, 40],
      });
    },
  }).addTo(map);

  function filterParams() {
    var data = new FormData(filters);
    var params = {};
    if (data.get("category")) {
      params.category = data.get("category");
    }
    var status = data.get("status");
    if (status === "open") {
      params.status = filters.dataset.openStatuses;
    } else if (status) {
      params.status = status;
    }
    if (data.get("period")) {
      params.since = data.get("period");
    }
    return params;
  }

  function popupFor(p) {
    return el("div", { className: "report-popup" }, [
      el("p", { className: "report-popup__title" }, [el("strong", { text: p.category_name })]),
      el("p", {}, [el("span", { className: "status status--" + p.status, text: p.status_label })]),
      el("p", { className: "report-popup__meta", text: MM.format(S.reportedOn, { date: MM.formatDate(p.created_at) }) }),
      el("p", {}, [el("a", { href: p.url, text: S.details })]),
    ]);
  }

  function listItem(p) {
    var meta = MM.format(S.reportNumber, { ref: p.reference }) + " · " +
      MM.format(S.reportedOn, { date: MM.formatDate(p.created_at) });
    var text = p.description.length > 160 ? p.description.slice(0, 157) + "…" : p.description;
    return el("li", { className: "report-item" }, [
      el("p", { className: "report-item__title" }, [
        el("a", { href: p.url, text: p.category_name }),
        " ",
        el("span", { className: "status status--" + p.status, text: p.status_label }),
      ]),
      el("p", { className: "report-item__meta", text: meta }),
      el("p", { className: "report-item__text", text: text }),
    ]);
  }

  function render(features, capped) {
    clusters.clearLayers();
    var markers = features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var p = feature.properties;
      var marker = L.marker([c[1], c[0]], {
        icon: MM.statusIcon(p.status),
        keyboard: false, // the list is the keyboard's way to every report
        title: p.category_name + " – " + p.status_label,
      });
      marker.bindPopup(function () { return popupFor(p); });
      return marker;
    });
    clusters.addLayers(markers);

    list.innerHTML = "";
    features.slice(0, MAX_LISTED).forEach(function (feature) {
      list.appendChild(listItem(feature.properties));
    });
    if (!features.length) {
      list.appendChild(el("li", { className: "report-list__empty", text: S.noReports }));
    }
    listHeading.textContent = features.length === 1 && !capped ? S.reportsInViewOne
      : MM.format(S.reportsInView, { count: features.length + (capped ? "+" : "") });
    listStatus.textContent = features.length > MAX_LISTED
      ? MM.format(S.reportsCapped, { count: MAX_LISTED })
      : "";
  }

  var controller = null;
  async function load() {
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    var mine = controller;
    listStatus.textContent = S.loading;
    var params = Object.assign({ bbox: MM.bboxParam(map), page_size: 500 }, filterParams());
    var next = MM.buildUrl(config.api.reports, params);
    var features = [];
    while (next && features.length < MAX_REPORTS) {
      var result = await MM.getJSON(next, null, mine.signal);
      if (mine !== controller) {
        return; // a newer view replaced this one
      }
      if (!result.ok || !result.body) {
        listStatus.textContent = S.loadFailed;
        return;
      }
      features = features.concat(result.body.features);
      next = result.body.next;
    }
    render(features.slice(0, MAX_REPORTS), Boolean(next));
  }

  var reload = MM.debounce(load, 300);
  map.on("moveend", reload);

  function applyFilters() {
    var query = new URLSearchParams(new FormData(filters));
    Array.from(query.keys()).forEach(function (key) {
      if (!query.get(key)) {
        query.delete(key);
      }
    });
    var search = query.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    load();
  }
  filters.addEventListener("change", applyFilters);
  filters.addEventListener("submit", function (event) {
    event.preventDefault();
    applyFilters();
    listHeading.focus();
  });

  load();
})();
