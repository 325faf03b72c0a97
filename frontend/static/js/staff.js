/*
 * Small enhancements of the staff pages (they work without them):
 * - after a refused action, move the focus to the error summary, so keyboard and screen
 *   reader users land on the reason;
 * - a "select all on this page" box for the queue's bulk actions;
 * - the queue's filters fold away on phones (they are open without JavaScript) unless a
 *   filter is set.
 */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  var filters = document.querySelector("details[data-fold-narrow]");
  if (filters && !filters.hasAttribute("data-active") &&
      window.matchMedia("(max-width: 47.99rem)").matches) {
    filters.open = false;
  }

  var header = document.getElementById("select-all-cell");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=reports]"));
  if (header && boxes.length) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = "select-all";
    var label = document.createElement("label");
    label.htmlFor = "select-all";
    label.className = "visually-hidden";
    label.textContent = header.dataset.label;
    header.textContent = "";
    header.appendChild(box);
    header.appendChild(label);
    box.addEventListener("change", function () {
      boxes.forEach(function (item) { item.checked = box.checked; });
    });
    boxes.forEach(function (item) {
      item.addEventListener("change", function () {
        var checked = boxes.filter(function (b) { return b.checked; }).length;
        box.checked = checked === boxes.length;
        box.indeterminate = checked > 0 && checked < boxes.length;
      });
    });
  }
})();
