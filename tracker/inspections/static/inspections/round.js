/*
 * A Streckenkontrolle on the phone: records the GPS track with watchPosition and posts the
 * fixes in small batches. Fixes not yet sent wait in localStorage (dead zones, a reload),
 * and are sent before the round is ended. The last fix is the position of a Befund.
 * Without JavaScript or GPS the page still works: positions can be typed in, driven
 * segments ticked.
 */
(function () {
  "use strict";

  var box = document.getElementById("gps");
  if (!box) { return; }
  var url = box.dataset.pointsUrl;
  var key = "mm-inspection-round-" + box.dataset.round;
  var stateText = document.getElementById("gps-state");
  var countText = document.getElementById("gps-count");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var queue = [];
  try { queue = JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { queue = []; }
  var sending = null;

  function save() {
    try { window.localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* full */ }
  }

  function show(text) {
    stateText.textContent = queue.length ? text + " (" + queue.length + " " + box.dataset.textQueued + ")" : text;
  }

  function flush() {
    if (sending) { return sending; }
    if (!queue.length) { return Promise.resolve(); }
    var batch = queue.slice(0, 200);
    sending = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ points: batch })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      queue = queue.slice(batch.length);
      save();
      countText.textContent = data.total;
      show(box.dataset.textOn);
      return true;
    }).catch(function () {
      show(box.dataset.textOn);
      return false;
    }).then(function (sent) {
      sending = null;
      // Fixes that came in while this batch was on its way go right after it (a failed
      // batch waits for the next fix, the timer or the network coming back).
      if (sent && queue.length) { return flush(); }
    });
    return sending;
  }

  function fill(lat, lon) {
    var form = document.getElementById("defect-form");
    if (!form) { return; }
    form.querySelector("input[name=lat]").value = lat.toFixed(6);
    form.querySelector("input[name=lon]").value = lon.toFixed(6);
  }

  var endForm = document.getElementById("end-form");
  if (endForm) {
    endForm.addEventListener("submit", function (event) {
      if (!queue.length) { return; }
      event.preventDefault();
      flush().then(function () { endForm.submit(); });
    });
  }

  if (!("geolocation" in navigator)) {
    show(box.dataset.textOff);
    return;
  }
  show(box.dataset.textWait);
  var last = null;
  navigator.geolocation.watchPosition(function (position) {
    var c = position.coords;
    fill(c.latitude, c.longitude);
    // The route map (round-map.js) draws the track as it grows.
    document.dispatchEvent(new CustomEvent("mm:inspection-fix", {
      detail: { lat: c.latitude, lon: c.longitude },
    }));
    if (last && last.lat === c.latitude && last.lon === c.longitude) { return; }
    last = { lat: c.latitude, lon: c.longitude, t: position.timestamp, acc: c.accuracy };
    queue.push(last);
    save();
    show(box.dataset.textOn);
    flush();
  }, function () {
    show(box.dataset.textOff);
  }, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
  window.setInterval(flush, 15000);
  window.addEventListener("online", flush);
})();
