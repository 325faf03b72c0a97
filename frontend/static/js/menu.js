/*
 * The main navigation on narrow screens (up to 75rem: a dozen links for staff): a real button ("Menü", aria-expanded,
 * aria-controls) folds the links and the language choice away and opens them as a list. Without JavaScript the
 * button stays hidden and the links are listed as they are. Escape closes the open menu and
 * puts the focus back on the button.
 */
(function () {
  "use strict";

  var button = document.getElementById("menu-toggle");
  var menu = document.getElementById("main-menu");
  if (!button || !menu || !window.matchMedia) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 75rem)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-menu--closed", !open);
  }

  function apply() {
    if (narrow.matches) {
      button.hidden = false;
      menu.classList.add("site-menu--menu");
      setOpen(false);
    } else {
      button.hidden = true;
      menu.classList.remove("site-menu--menu", "site-menu--closed");
      button.setAttribute("aria-expanded", "true");
    }
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", apply);
  }
  apply();
})();
