/*
 * Charts of the statistics page (Chart.js from npm). The same numbers are in the tables
 * below them; the canvases carry a short label for screen readers.
 */
(function () {
  "use strict";

  var data = JSON.parse((document.getElementById("chart-data") || {}).textContent || "{}");
  if (typeof Chart === "undefined" || !data.month) {
    return;
  }
  var COLOURS = ["#00508c", "#b45309", "#15803d", "#b91c1c", "#6b21a8", "#0e7490", "#4b5563", "#be185d"];

  function chart(id, kind, series, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    new Chart(canvas, {
      type: kind,
      data: {
        labels: series.labels,
        datasets: [{
          label: data.label,
          data: series.values,
          backgroundColor: kind === "line" ? "#00508c" : COLOURS,
          borderColor: "#00508c",
        }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        plugins: { title: { display: true, text: series.title }, legend: { display: kind === "doughnut" } },
      },
    });
  }

  chart("chart-month", "line", data.month, false);
  chart("chart-category", "bar", data.category, true);
  chart("chart-status", "doughnut", data.status, false);
})();
