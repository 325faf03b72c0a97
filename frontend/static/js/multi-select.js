// Check-box disclosures (details.multi-select): keep the summary ("alle" / "2 gewählt") in
// step with the ticked boxes. Without JavaScript the server renders the same text.
(function () {
  "use strict";
  function update(details) {
    const chosen = details.querySelector(".multi-select__chosen");
    if (!chosen) return;
    const count = details.querySelectorAll("input[type=checkbox]:checked").length;
    chosen.textContent = count ? count + " " + chosen.dataset.some : chosen.dataset.all;
  }
  document.querySelectorAll("details.multi-select").forEach(function (details) {
    details.addEventListener("change", function () { update(details); });
  });
  // A click outside an open list closes it, like a native select.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.multi-select[open]").forEach(function (details) {
      if (!details.contains(event.target)) details.open = false;
    });
  });
})();
