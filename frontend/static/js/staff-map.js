/*
 * Maps of the staff pages (/arbeit/): the queue's reports from our own GeoJSON endpoint (same
 * filters and permissions as the list, config.markers), or one report's exact position
 * (config.report); "Mein Standort" shows the device's position. The pages work without it:
 * the list, the forms and the navigation links are plain HTML.
 */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  if (!config || !window.L) {
    return;
  }
  var S = config.strings;
  var pane = document.getElementById("map-pane");
  var element = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!pane || !element) {
    return;
  }
  pane.hidden = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  var map = MM.createMap(element, config);
  MM.vectorLayers(map, config, { assets: false });

  if (config.report) {
    var here = [config.report.lat, config.report.lon];
    L.marker(here, {
      icon: MM.statusIcon(config.report.status),
      title: S.reportLocation,
      alt: S.reportLocation,
      keyboard: false,
    }).addTo(map);
    map.setView(here, 17);
  }

  function popupFor(feature) {
    var p = feature.properties;
    var children = [
      MM.el("p", {}, [MM.el("strong", { text: p.reference + " · " + p.category_name })]),
      MM.el("p", {}, [
        MM.el("span", { className: "status status--" + p.status, text: p.status_label }),
        p.overdue ? " " : null,
        p.overdue ? MM.el("span", { className: "tag tag--overdue", text: S.overdue }) : null,
      ]),
    ];
    if (p.address) {
      children.push(MM.el("p", { text: p.address }));
    }
    children.push(MM.el("p", {}, [MM.el("a", { href: p.url, text: S.open + ": " + p.reference })]));
    return MM.el("div", { className: "report-popup" }, children);
  }

  if (config.markers && window.fetch) {
    var layer = L.featureGroup().addTo(map);
    MM.getJSON(config.markers).then(function (result) {
      if (!result.ok || !result.body) {
        say(S.loadFailed);
        return;
      }
      result.body.features.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        var p = feature.properties;
        var marker = L.marker([c[1], c[0]], {
          icon: MM.statusIcon(p.status),
          title: p.reference + " · " + p.category_name,
          alt: p.reference,
        });
        if (p.overdue) {
          marker.on("add", function () {
            var icon = marker.getElement();
            if (icon) {
              icon.classList.add("report-marker--overdue");
            }
          });
        }
        marker.bindPopup(popupFor(feature));
        layer.addLayer(marker);
      });
      var count = result.body.features.length;
      say(result.body.capped ? MM.format(S.markersCapped, { count: count })
        : MM.format(S.markersLoaded, { count: count }));
      if (count) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
      }
    });
  }

  var button = document.getElementById("my-location");
  var me = null;
  if (button) {
    if (!navigator.geolocation) {
      button.hidden = true;
    }
    button.addEventListener("click", function () {
      say(S.locating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var latlng = [position.coords.latitude, position.coords.longitude];
          if (me) {
            map.removeLayer(me);
          }
          me = L.circleMarker(latlng, {
            radius: 9, weight: 3, color: "#ffffff", fillColor: "#1d4ed8", fillOpacity: 1,
            className: "my-location",
          }).bindTooltip(S.myLocation).addTo(map);
          if (config.report) {
            map.fitBounds(L.latLngBounds([latlng, [config.report.lat, config.report.lon]]), {
              padding: [32, 32], maxZoom: 17,
            });
          } else {
            map.setView(latlng, Math.max(map.getZoom(), 15));
          }
          say(S.located);
        },
        function () {
          say(S.geolocationFailed);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
})();
