/*
 * Live status by polling (docs/architecture.md, "Live status"). A page marks its root with
 *   data-live-url       the JSON endpoint (tracker.live, tracker.staff.live)
 *   data-live-interval  seconds between polls while something may change (default 20)
 *   data-live-mode      "report" (one report) or "list" (items marked data-live-id)
 * and holds one polite live region [data-live="announce"]. The script asks with
 * If-None-Match and gets a bodyless 304 while nothing changed; every unchanged answer
 * stretches the interval (up to eight times), a change resets it, errors back off further,
 * and a hidden tab does not poll at all (it asks once when it becomes visible again).
 * Without JavaScript the pages are exactly as served; a reload shows the same state.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-live-url");
  var mode = root.getAttribute("data-live-mode") || "report";
  var base = Math.max(1, parseFloat(root.getAttribute("data-live-interval")) || 20) * 1000;
  var maxDelay = base * 8;
  var delay = base;
  var etag = null;
  var timer = null;
  var busy = false;
  var announcer = document.querySelector('[data-live="announce"]');

  function announce(text) {
    if (!announcer || !text) {
      return;
    }
    // Emptied first so that the same words twice are announced twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function message(name, values) {
    var text = root.getAttribute("data-live-msg-" + name) || "";
    Object.keys(values).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function setStatus(element, code, label) {
    if (!element || element.getAttribute("data-status") === code) {
      return false;
    }
    element.className = "status status--" + code;
    element.setAttribute("data-status", code);
    element.textContent = label;
    return true;
  }

  function setTime(element, when) {
    if (element && when) {
      element.setAttribute("datetime", when.iso);
      element.textContent = when.text;
    }
  }

  var lastText = null;

  function applyReport(state) {
    var changed = setStatus(root.querySelector('[data-live="status"]'), state.status, state.status_label);
    setTime(root.querySelector('[data-live="updated"]'), state.updated_at);
    // The first answer only sets the baseline: the history on the page already shows it.
    var news = lastText !== null && state.last_update && state.last_update !== lastText;
    lastText = state.last_update || "";
    var box = root.querySelector('[data-live="last-box"]');
    if (news && box) {
      root.querySelector('[data-live="last"]').textContent = state.last_update;
      setTime(root.querySelector('[data-live="last-at"]'), state.last_update_at);
      box.hidden = false;
    }
    if (changed) {
      announce(message("status", {status: state.status_label}));
    } else if (news) {
      announce(message("update", {text: state.last_update}));
    }
    return changed || news;
  }

  function applyList(data) {
    var said = [];
    (data.reports || []).forEach(function (state) {
      var item = root.querySelector('[data-live-id="' + state.id + '"]');
      if (!item) {
        return;
      }
      if (setStatus(item.querySelector('[data-live="status"]'), state.status, state.status_label)) {
        said.push(message("item", {ref: item.getAttribute("data-live-ref") || state.id, status: state.status_label}));
      }
      setTime(item.querySelector('[data-live="updated"]'), state.updated_at);
    });
    announce(said.join(" "));
    return said.length > 0;
  }

  function listUrl() {
    var ids = [];
    root.querySelectorAll("[data-live-id]").forEach(function (item) {
      ids.push(item.getAttribute("data-live-id"));
    });
    if (!ids.length) {
      return null;
    }
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "ids=" + ids.slice(0, 100).join(",");
  }

  function schedule() {
    window.clearTimeout(timer);
    if (!document.hidden) {
      timer = window.setTimeout(poll, delay);
    }
  }

  function poll() {
    var target = mode === "list" ? listUrl() : url;
    if (!target || busy || document.hidden) {
      return;
    }
    busy = true;
    var headers = {"Accept": "application/json"};
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(target, {headers: headers, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status === 304) {
          delay = Math.min(delay * 1.5, maxDelay);
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) {
          var changed = mode === "list" ? applyList(data) : applyReport(data);
          delay = changed ? base : Math.min(delay * 1.5, maxDelay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, maxDelay * 4);
      })
      .then(function () {
        busy = false;
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
    } else {
      delay = base;
      poll();
    }
  });
  poll();
})();
