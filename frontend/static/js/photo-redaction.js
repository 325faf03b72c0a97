/*
 * Staff report page, "Schwärzung": drag a rectangle on the original photo to fill the
 * "Bereich schwärzen" form's x/y/w/h (in the photo's pixels). The form works without this:
 * the four numbers can be typed. Nothing is sent until the button is pressed.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function setup(figure) {
    var id = figure.getAttribute("data-redaction");
    var form = document.querySelector('form[data-redaction-form="' + id + '"]');
    var svg = figure.querySelector("svg");
    if (!form || !svg) {
      return;
    }
    var width = parseInt(figure.getAttribute("data-width"), 10);
    var height = parseInt(figure.getAttribute("data-height"), 10);
    var draft = null;
    var start = null;

    function point(event) {
      var rect = figure.getBoundingClientRect();
      var x = (event.clientX - rect.left) / rect.width * width;
      var y = (event.clientY - rect.top) / rect.height * height;
      return {
        x: Math.round(Math.min(Math.max(x, 0), width)),
        y: Math.round(Math.min(Math.max(y, 0), height))
      };
    }

    function box(end) {
      return {
        x: Math.min(start.x, end.x),
        y: Math.min(start.y, end.y),
        w: Math.abs(end.x - start.x),
        h: Math.abs(end.y - start.y)
      };
    }

    function show(area) {
      draft.setAttribute("x", area.x);
      draft.setAttribute("y", area.y);
      draft.setAttribute("width", area.w);
      draft.setAttribute("height", area.h);
    }

    figure.classList.add("redaction__figure--draw");
    figure.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      event.preventDefault();
      figure.setPointerCapture(event.pointerId);
      start = point(event);
      if (!draft) {
        draft = document.createElementNS(SVG, "rect");
        draft.setAttribute("class", "redaction__box redaction__box--draft");
        draft.setAttribute("vector-effect", "non-scaling-stroke");
        svg.appendChild(draft);
      }
      show({ x: start.x, y: start.y, w: 0, h: 0 });
    });
    figure.addEventListener("pointermove", function (event) {
      if (start) {
        show(box(point(event)));
      }
    });
    figure.addEventListener("pointerup", function (event) {
      if (!start) {
        return;
      }
      var area = box(point(event));
      start = null;
      show(area);
      ["x", "y", "w", "h"].forEach(function (name) {
        form.elements[name].value = area[name];
      });
      form.querySelector("button[type=submit]").focus();
    });
    figure.addEventListener("pointercancel", function () {
      start = null;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-redaction]"), setup);
})();
