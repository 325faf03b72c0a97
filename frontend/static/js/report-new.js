/*
 * /melden/: the map, place search, routing preview, duplicates and sending via the REST API.
 *
 * Without this script (or without Leaflet) the page is a plain form posted to the server;
 * this script only adds to it. Every step is reachable by keyboard: the search results are
 * buttons, "Kartenmitte als Ort" places the pin where the keyboard-panned map is centred.
 */
(function () {
  "use strict";

  var MM = window.MM;
  var config = MM && MM.readJSON("map-config");
  if (!config || !window.L || !window.fetch || !window.FormData) {
    return; // the plain form keeps working
  }
  var S = config.strings;
  var MAX_PHOTOS = config.maxPhotos || 5;
  // Below this zoom a tap is too coarse to be the place: the map zooms in and asks again.
  var STREET_ZOOM = 16;
  var CONFIRM_ZOOM = 18;
  var FIELD_ORDER = ["place", "category", "description", "photos", "email", "name", "phone"];
  var FIELD_FOR = { lat: "place", lon: "place", address: "place", coordinates: "place" };

  function $(id) { return document.getElementById(id); }
  var el = MM.el;

  var form = $("report-form");
  var latInput = $("id_lat");
  var lonInput = $("id_lon");
  var placeInput = $("id_place");
  var categorySelect = $("id_category");
  var emailInput = $("id_email");
  var photoInput = $("id_photos");
  var submitButton = $("submit-report");
  var submitStatus = $("submit-status");
  var summary = $("error-summary");
  var locationStatus = $("location-status");
  var routingBox = $("routing");
  var nearbyBox = $("nearby");
  var resultsList = $("place-results");
  var resultsStatus = $("place-results-status");

  // --- switch the page to its map mode -----------------------------------------------------
  document.querySelectorAll(".js-only").forEach(function (node) { node.hidden = false; });
  $("map-pane").hidden = false;
  $("report-layout").classList.add("report-layout--with-map");
  document.body.classList.add("map-mode");
  var choices = $("field-place_choice");
  if (choices) {
    choices.remove(); // the map and the search replace the server's list of candidates
  }

  var map = MM.createMap($("map"), config);
  MM.vectorLayers(map, config, { assets: true, onAssetClick: chooseAsset });

  // --- categories: the API's list, narrowed to what is offered at the pin ------------------
  var categories = Array.prototype.slice.call(categorySelect.options)
    .filter(function (option) { return option.value; })
    .map(function (option) { return { slug: option.value, name: option.textContent, asset_type: "" }; });
  var placeholder = categorySelect.options[0].cloneNode(true);

  MM.getJSON(config.api.categories).then(function (result) {
    if (result.ok && Array.isArray(result.body)) {
      categories = result.body;
    }
  });

  function offeredAt(authorityIds) {
    var ids = new Set(authorityIds);
    return categories.filter(function (category) {
      var only = config.availability[category.slug] || [];
      return only.length === 0 || only.some(function (id) { return ids.has(id); });
    });
  }

  /* Rebuild the select with the categories offered here; true when the chosen one is gone. */
  function narrowCategories(authorityIds) {
    var current = categorySelect.value;
    var offered = offeredAt(authorityIds);
    var same = offered.length === categorySelect.options.length - 1 &&
      offered.every(function (c, i) { return categorySelect.options[i + 1].value === c.slug; });
    if (same) {
      return false;
    }
    categorySelect.innerHTML = "";
    categorySelect.appendChild(placeholder.cloneNode(true));
    offered.forEach(function (category) {
      categorySelect.appendChild(el("option", { value: category.slug, text: category.name }));
    });
    var stillThere = offered.some(function (c) { return c.slug === current; });
    categorySelect.value = stillThere ? current : "";
    return Boolean(current) && !stillThere;
  }

  // --- the pin -----------------------------------------------------------------------------
  var marker = null;
  var assetId = null;
  var addressLabel = "";
  var outsideArea = false;
  var pinIcon = L.divIcon({
    className: "pin-icon",
    html:
      '<svg viewBox="0 0 36 48" width="36" height="48" aria-hidden="true" focusable="false">' +
      '<path d="M18 1C8.6 1 1 8.6 1 18c0 12.4 17 29 17 29s17-16.6 17-29C35 8.6 27.4 1 18 1z" ' +
      'fill="#c2410c" stroke="#fff" stroke-width="2"/><circle cx="18" cy="18" r="6" fill="#fff"/></svg>',
    iconSize: [36, 48],
    iconAnchor: [18, 46],
  });

  // How the status names the place: a search hit or an asset keep their own label; any other
  // pin is named by the reverse lookup (nearest house or street and the town) once /locate
  // answers. `statusTemplate` is the sentence the name goes into.
  var labelFixed = false;
  var statusTemplate = S.locationSet;
  var placeNote = "";

  function showLocationStatus(where) {
    var text = MM.format(statusTemplate, { place: where });
    locationStatus.textContent = placeNote ? text + " " + placeNote : text;
    // The pin carries the place's name too: on a phone the status text is below the map.
    if (marker && marker.getTooltip()) {
      marker.setTooltipContent(where);
    } else if (marker) {
      marker.bindTooltip(where, {
        permanent: true, direction: "top", offset: [0, -44], className: "pin-label",
      });
    }
  }

  function setLocation(latlng, options) {
    var opts = options || {};
    hideZoomConfirm();
    assetId = opts.assetId || null;
    addressLabel = opts.label || "";
    labelFixed = Boolean(opts.label);
    statusTemplate = opts.template || S.locationSet;
    placeNote = opts.note || "";
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    if (!marker) {
      marker = L.marker(latlng, {
        draggable: true,
        icon: pinIcon,
        title: S.markerTitle,
        alt: S.markerTitle,
        keyboard: true,
        autoPan: true,
      }).addTo(map);
      marker.on("dragend", function () {
        setLocation(marker.getLatLng(), {});
      });
    } else {
      marker.setLatLng(latlng);
    }
    if (opts.bbox) {
      map.fitBounds([[opts.bbox[1], opts.bbox[0]], [opts.bbox[3], opts.bbox[2]]]);
    } else if (opts.pan) {
      map.setView(latlng, Math.max(map.getZoom(), 17));
    }
    clearFieldError("place");
    showLocationStatus(addressLabel || S.findingPlace);
    if (opts.focusStatus) {
      locationStatus.focus();
    }
    refreshRouting();
  }

  // --- a tap far out zooms in and asks for the exact spot --------------------------------------
  var zoomConfirm = $("zoom-confirm");
  var pendingSpot = null;
  var pendingMarker = null;

  function hideZoomConfirm() {
    pendingSpot = null;
    zoomConfirm.hidden = true;
    if (pendingMarker) {
      pendingMarker.remove();
      pendingMarker = null;
    }
  }

  function askForExactSpot(latlng) {
    pendingSpot = latlng;
    map.setView(latlng, Math.max(map.getZoom(), CONFIRM_ZOOM));
    if (pendingMarker) {
      pendingMarker.setLatLng(latlng);
    } else {
      pendingMarker = L.circleMarker(latlng, {
        radius: 10, weight: 3, color: "#c2410c", dashArray: "4 3", fillOpacity: 0.15,
        interactive: false,
      }).addTo(map);
    }
    zoomConfirm.hidden = false;
    locationStatus.textContent = S.zoomedIn;
  }

  /* A tap or "Kartenmitte als Ort": taken at street level, else zoom in and ask. */
  function pickSpot(latlng) {
    if (map.getZoom() < STREET_ZOOM) {
      askForExactSpot(latlng);
    } else {
      setLocation(latlng, {});
    }
  }

  map.on("click", function (event) {
    pickSpot(event.latlng);
  });

  $("use-centre").addEventListener("click", function () {
    pickSpot(map.getCenter());
  });

  $("zoom-confirm-button").addEventListener("click", function () {
    if (pendingSpot) {
      setLocation(pendingSpot, { focusStatus: true });
    }
  });

  var locateButton = $("locate-me");
  if ("geolocation" in navigator) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      locationStatus.textContent = S.geolocating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          setLocation(L.latLng(position.coords.latitude, position.coords.longitude), {
            pan: true, template: S.myLocationSet,
          });
        },
        function () {
          locationStatus.textContent = S.geolocationFailed;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function chooseAsset(feature, layer) {
    var p = feature.properties;
    var label = [p.type_label, p.external_id].filter(Boolean).join(" ");
    var match = categories.filter(function (c) { return c.asset_type === p.type; })[0];
    if (match && Array.prototype.some.call(categorySelect.options, function (o) { return o.value === match.slug; })) {
      categorySelect.value = match.slug;
    }
    setLocation(layer.getLatLng(), { assetId: p.id, label: label });
  }

  // --- routing preview and duplicates --------------------------------------------------------
  var routingSeq = 0;
  async function refreshRouting() {
    if (!latInput.value) {
      return;
    }
    var seq = ++routingSeq;
    var category = categorySelect.value;
    routingBox.classList.remove("routing--error");
    routingBox.textContent = S.locating;
    var result = await MM.getJSON(config.api.locate, {
      lat: latInput.value, lon: lonInput.value, category: category,
    });
    if (seq !== routingSeq) {
      return;
    }
    if (result.status === 404) {
      if (!labelFixed) {
        showLocationStatus(MM.format(S.locationCoords, {
          lat: parseFloat(latInput.value).toFixed(5), lon: parseFloat(lonInput.value).toFixed(5),
        }));
      }
      outsideArea = true;
      setSendingEnabled(false);
      routingBox.classList.add("routing--error");
      routingBox.textContent = (result.body && result.body.detail) || S.locateFailed;
      showFieldError("place", routingBox.textContent);
      hideNearby();
      return;
    }
    outsideArea = false;
    setSendingEnabled(true);
    if (result.status === 0 && !result.aborted && config.offline) {
      // Offline: the routing decision and the duplicate check run when the report is sent.
      if (!labelFixed) {
        showLocationStatus(MM.format(S.locationCoords, {
          lat: parseFloat(latInput.value).toFixed(5), lon: parseFloat(lonInput.value).toFixed(5),
        }));
      }
      routingBox.textContent = config.offline.routingOffline;
      hideNearby();
      return;
    }
    if (!result.ok) {
      routingBox.textContent = S.locateFailed;
      return;
    }
    if (!labelFixed && result.body.place) {
      addressLabel = result.body.place.label;
      showLocationStatus(addressLabel);
    } else if (!labelFixed) {
      showLocationStatus(MM.format(S.locationCoords, {
        lat: parseFloat(latInput.value).toFixed(5), lon: parseFloat(lonInput.value).toFixed(5),
      }));
    }
    if (narrowCategories(result.body.authorities.map(function (a) { return a.id; }))) {
      routingBox.textContent = S.categoryNotHere;
      hideNearby();
      return;
    }
    var routing = result.body.routing;
    if (routing) {
      routingBox.textContent = "";
      routingBox.appendChild(el("strong", { text: routing.plain.who }));
      routingBox.appendChild(document.createTextNode(" "));
      routingBox.appendChild(el("span", { text: routing.plain.why }));
    } else {
      routingBox.textContent = S.chooseCategory;
    }
    refreshNearby();
  }

  function setSendingEnabled(enabled) {
    submitButton.disabled = !enabled;
  }

  categorySelect.addEventListener("change", function () {
    clearFieldError("category");
    if (latInput.value) {
      refreshRouting();
    }
  });

  var nearbySeq = 0;
  function hideNearby() {
    nearbySeq++;
    nearbyBox.hidden = true;
    nearbyBox.innerHTML = "";
  }

  async function refreshNearby() {
    var category = categorySelect.value;
    if (!latInput.value || !category || outsideArea) {
      hideNearby();
      return;
    }
    var seq = ++nearbySeq;
    var params = { lat: latInput.value, lon: lonInput.value, category: category };
    if (assetId) {
      params.asset = assetId;
    }
    var result = await MM.getJSON(config.api.nearby, params);
    if (seq !== nearbySeq) {
      return;
    }
    if (!result.ok || !result.body || !result.body.features.length) {
      hideNearby();
      return;
    }
    renderNearby(result.body.features);
  }

  function reportId(feature) {
    return feature.id !== undefined && feature.id !== null ? feature.id : feature.properties.id;
  }

  var supportEmail = null;
  function renderNearby(features) {
    nearbyBox.innerHTML = "";
    nearbyBox.appendChild(el("h3", { id: "nearby-heading", text: S.nearbyHeading }));
    nearbyBox.appendChild(el("p", { text: S.nearbyIntro }));
    supportEmail = null;
    if (!config.user.authenticated) {
      supportEmail = el("input", {
        type: "email", id: "support-email", autocomplete: "email",
        "aria-describedby": "support-email-error",
      });
      supportEmail.value = emailInput ? emailInput.value : "";
      supportEmail.addEventListener("input", function () {
        if (emailInput && !emailInput.value) {
          emailInput.value = supportEmail.value;
        }
      });
      nearbyBox.appendChild(el("div", { className: "field" }, [
        el("label", { "for": "support-email", text: S.supportEmail }),
        el("p", { className: "field-error", id: "support-email-error", hidden: true }),
        supportEmail,
      ]));
    }
    var list = el("ul", { className: "nearby__list" });
    features.forEach(function (feature) {
      var p = feature.properties;
      var titleId = "nearby-title-" + reportId(feature);
      var status = el("p", { className: "nearby__status", role: "status" });
      var button = el("button", {
        type: "button", className: "button button--secondary", "aria-describedby": titleId,
        text: S.alsoAffected,
      });
      button.addEventListener("click", function () { support(feature, button, status); });
      var description = p.description.length > 160 ? p.description.slice(0, 157) + "…" : p.description;
      list.appendChild(el("li", { className: "nearby__item" }, [
        el("p", { className: "nearby__title", id: titleId }, [
          el("strong", { text: p.category_name }),
          " · ",
          el("span", { className: "status status--" + p.status, text: p.status_label }),
        ]),
        el("p", { className: "nearby__meta", text: [
          MM.format(S.metresAway, { m: Math.round(p.distance_m) }),
          MM.format(S.reportedOn, { date: MM.formatDate(p.created_at) }),
          p.supporter_count === 1 ? S.supportersOne
            : MM.format(S.supporters, { count: p.supporter_count }),
        ].join(" · ") }),
        el("p", { className: "nearby__description", text: description }),
        el("p", { className: "nearby__actions" }, [
          button,
          " ",
          el("a", { href: p.url, target: "_blank", rel: "noopener", text: S.viewReport }),
        ]),
        status,
      ]));
    });
    nearbyBox.appendChild(list);
    nearbyBox.hidden = false;
  }

  async function support(feature, button, status) {
    var email = "";
    if (supportEmail) {
      var error = $("support-email-error");
      email = supportEmail.value.trim();
      if (!email || !supportEmail.checkValidity()) {
        error.textContent = S.supportNeedsEmail;
        error.hidden = false;
        supportEmail.setAttribute("aria-invalid", "true");
        supportEmail.focus();
        return;
      }
      error.hidden = true;
      supportEmail.removeAttribute("aria-invalid");
    }
    button.disabled = true;
    var url = config.api.support.replace("/0/", "/" + reportId(feature) + "/");
    var result = await MM.post(url, { email: email });
    if (result.ok) {
      showSupportDone(feature, result.body.supporter_count);
      return;
    }
    button.disabled = false;
    var problems = MM.messages(result.body);
    status.textContent = problems.length ? problems.join(" ") : S.supportFailed;
  }

  function showSupportDone(feature, count) {
    form.hidden = true;
    summary.hidden = true;
    var done = $("support-done");
    $("support-done-text").textContent = MM.format(S.supportDone, {
      ref: feature.properties.reference, count: count,
    });
    $("support-done-link").href = feature.properties.url;
    done.hidden = false;
    done.focus();
  }

  $("support-new-report").addEventListener("click", function () {
    $("support-done").hidden = true;
    form.hidden = false;
    hideNearby();
    $("id_description").focus();
  });

  // --- place search --------------------------------------------------------------------------
  var searchSeq = 0;
  async function searchPlaces(explicit) {
    var query = placeInput.value.trim();
    if (query.length < 2) {
      resultsList.hidden = true;
      resultsList.innerHTML = "";
      return [];
    }
    var seq = ++searchSeq;
    if (explicit) {
      resultsStatus.textContent = S.searching;
    }
    var result = await MM.getJSON(config.api.places, { q: query });
    if (seq !== searchSeq) {
      return null;
    }
    if (!result.ok) {
      resultsStatus.textContent = S.searchFailed;
      return [];
    }
    var features = result.body.features;
    resultsList.innerHTML = "";
    features.forEach(function (feature, index) {
      var p = feature.properties;
      var button = el("button", { type: "button", className: "place-result", "data-index": index }, [
        el("span", { className: "place-result__label", text: p.label }),
        p.detail ? el("span", { className: "place-result__detail", text: p.detail }) : null,
      ]);
      button.addEventListener("click", function () { choosePlace(feature); });
      resultsList.appendChild(el("li", {}, [button]));
    });
    resultsList.hidden = features.length === 0;
    resultsStatus.textContent = features.length === 0 ? S.noPlaces
      : features.length === 1 ? S.onePlaceFound
      : MM.format(S.placesFound, { count: features.length });
    return features;
  }

  function choosePlace(feature) {
    typedSearch.cancel();
    searchSeq++; // a search still under way must not bring the list back
    var coords = feature.geometry.coordinates;
    placeInput.value = feature.properties.label;
    resultsList.hidden = true;
    resultsList.innerHTML = "";
    resultsStatus.textContent = "";
    var kind = feature.properties.kind;
    if ((kind === "road" || kind === "authority") && feature.bbox) {
      // A road number or a town names kilometres: show all of it and ask where exactly.
      hideZoomConfirm();
      var b = feature.bbox;
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [24, 24] });
      locationStatus.textContent = MM.format(S.tapExactSpot, { place: feature.properties.label });
      locationStatus.focus();
      return;
    }
    setLocation(L.latLng(coords[1], coords[0]), {
      label: feature.properties.label, pan: true, bbox: feature.bbox, focusStatus: true,
      note: feature.properties.note ? feature.properties.note + "." : "",
    });
  }

  var typedSearch = MM.debounce(function () { searchPlaces(false); }, 350);
  placeInput.addEventListener("input", function () {
    if (placeInput.value.trim().length >= 3) {
      typedSearch();
    }
  });
  placeInput.addEventListener("keydown", async function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // Enter searches here; it does not send the report
      typedSearch.cancel();
      var features = await searchPlaces(true);
      if (features && features.length === 1) {
        choosePlace(features[0]);
      } else if (features && features.length > 1) {
        resultsList.querySelector("button").focus();
      }
    } else if (event.key === "ArrowDown" && !resultsList.hidden) {
      event.preventDefault();
      resultsList.querySelector("button").focus();
    } else if (event.key === "Escape") {
      resultsList.hidden = true;
    }
  });
  $("place-search").addEventListener("click", async function () {
    var features = await searchPlaces(true);
    if (features && features.length) {
      resultsList.querySelector("button").focus();
    }
  });
  resultsList.addEventListener("keydown", function (event) {
    var buttons = Array.prototype.slice.call(resultsList.querySelectorAll("button"));
    var index = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && index < buttons.length - 1) {
      event.preventDefault();
      buttons[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (index > 0 ? buttons[index - 1] : placeInput).focus();
    } else if (event.key === "Escape") {
      resultsList.hidden = true;
      placeInput.focus();
    }
  });

  // --- photos --------------------------------------------------------------------------------
  var photos = []; // {file, url, gps}
  var previews = $("photo-previews");
  var photoLocation = $("photo-location");
  var photoLocationButton = $("photo-location-button");

  function syncPhotoInput() {
    // Keep the native input's file list equal to what is shown, so the form posts it.
    try {
      var transfer = new DataTransfer();
      photos.forEach(function (photo) { transfer.items.add(photo.file); });
      photoInput.files = transfer.files;
    } catch (error) {
      // Old browsers: the photos are still appended on submit.
    }
  }

  function renderPhotos() {
    previews.innerHTML = "";
    photos.forEach(function (photo, index) {
      var n = index + 1;
      var remove = el("button", {
        type: "button", className: "button button--small button--secondary",
        text: MM.format(S.removePhoto, { n: n }),
      });
      remove.addEventListener("click", function () {
        URL.revokeObjectURL(photo.url);
        photos.splice(index, 1);
        syncPhotoInput();
        renderPhotos();
        var next = previews.querySelectorAll("button")[Math.min(index, photos.length - 1)];
        (next || photoInput).focus();
      });
      previews.appendChild(el("li", { className: "photo-preview" }, [
        el("img", { src: photo.url, alt: MM.format(S.photoAlt, { n: n, name: photo.file.name }) }),
        remove,
      ]));
    });
    previews.hidden = photos.length === 0;
    var withGps = photos.filter(function (photo) { return photo.gps; });
    photoLocation.hidden = withGps.length === 0;
  }

  photoInput.addEventListener("change", function () {
    var chosen = Array.prototype.slice.call(photoInput.files || []);
    var known = new Set(photos.map(function (p) { return p.file; }));
    var added = chosen.filter(function (file) { return !known.has(file); });
    var room = MAX_PHOTOS - photos.length;
    if (added.length > room) {
      showFieldError("photos", MM.format(S.photoLimit, { max: MAX_PHOTOS }));
    } else {
      clearFieldError("photos");
    }
    added.slice(0, Math.max(room, 0)).forEach(function (file) {
      var photo = { file: file, url: URL.createObjectURL(file), gps: null };
      photos.push(photo);
      readPhotoLocation(photo);
    });
    syncPhotoInput();
    renderPhotos();
  });

  async function readPhotoLocation(photo) {
    var data = new FormData();
    data.append("photo", photo.file, photo.file.name);
    var result = await MM.post(config.api.photoLocation, data);
    if (result.ok && result.body && typeof result.body.lat === "number") {
      photo.gps = result.body;
      renderPhotos();
      // Photo first (or no place yet): the photo's position becomes the pin, to be checked.
      if (photoFirst || !latInput.value) {
        photoFirst = false;
        usePhotoLocation(photo);
      }
    } else if (photoFirst) {
      photoFirst = false;
      locationStatus.textContent = S.photoWithoutLocation;
      locationStatus.focus();
    }
  }

  function usePhotoLocation(photo) {
    setLocation(L.latLng(photo.gps.lat, photo.gps.lon), {
      pan: true, template: S.photoLocationSet, focusStatus: true,
    });
    $("map-pane").scrollIntoView({ block: "nearest" });
  }

  photoLocationButton.addEventListener("click", function () {
    var photo = photos.filter(function (p) { return p.gps; }).pop();
    if (photo) {
      usePhotoLocation(photo);
    }
  });

  // "Mit einem Foto beginnen": the same file input, opened from the first step.
  var photoFirst = false;
  $("photo-first-button").addEventListener("click", function () {
    photoFirst = true;
    photoInput.click();
  });

  // --- errors --------------------------------------------------------------------------------
  function labelText(field) {
    var label = form.querySelector('label[for="id_' + field + '"]');
    return label ? label.childNodes[0].textContent.trim() : "";
  }

  function showFieldError(field, text) {
    var box = $("id_" + field + "-error");
    var input = $("id_" + field);
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
    if (input) {
      input.setAttribute("aria-invalid", "true");
      var wrapper = $("field-" + field);
      if (wrapper) {
        wrapper.classList.add("field--invalid");
      }
    }
  }

  function clearFieldError(field) {
    var box = $("id_" + field + "-error");
    var input = $("id_" + field);
    if (box) {
      box.textContent = "";
      box.hidden = true;
    }
    if (input) {
      input.removeAttribute("aria-invalid");
      var wrapper = $("field-" + field);
      if (wrapper) {
        wrapper.classList.remove("field--invalid");
      }
    }
  }

  function clearErrors() {
    FIELD_ORDER.forEach(clearFieldError);
    summary.hidden = true;
    summary.innerHTML = "";
  }

  /* Field errors next to the fields, a summary at the top (role=alert), focus on the first. */
  function showErrors(errors) {
    clearErrors();
    var byField = {};
    var general = [];
    Object.keys(errors || {}).forEach(function (key) {
      var field = FIELD_FOR[key] || key;
      var texts = MM.messages(errors[key]);
      if (FIELD_ORDER.indexOf(field) >= 0 && $("id_" + field)) {
        byField[field] = (byField[field] || []).concat(texts.filter(function (t) {
          return (byField[field] || []).indexOf(t) < 0;
        }));
      } else {
        general = general.concat(texts);
      }
    });
    var list = el("ul");
    general.forEach(function (text) { list.appendChild(el("li", { text: text })); });
    var first = null;
    FIELD_ORDER.forEach(function (field) {
      if (!byField[field]) {
        return;
      }
      showFieldError(field, byField[field].join(" "));
      first = first || $("id_" + field);
      byField[field].forEach(function (text) {
        list.appendChild(el("li", {}, [
          el("a", { href: "#id_" + field, text: labelText(field) + ": " + text }),
        ]));
      });
    });
    summary.appendChild(el("h2", { text: S.errorSummary }));
    summary.appendChild(list);
    summary.hidden = false;
    (first || summary).focus();
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#id_']");
    if (link) {
      event.preventDefault();
      var target = $(link.getAttribute("href").slice(1));
      if (target) {
        target.focus();
      }
    }
  });

  // --- sending -------------------------------------------------------------------------------
  /* What the offline list shows of a kept report, and what its duplicate check needs later. */
  function reportSummary() {
    var option = categorySelect.options[categorySelect.selectedIndex];
    return {
      category: option ? option.textContent : "",
      categorySlug: categorySelect.value,
      place: addressLabel || placeInput.value.trim() || MM.format(S.locationCoords, {
        lat: parseFloat(latInput.value).toFixed(5), lon: parseFloat(lonInput.value).toFixed(5),
      }),
      lat: latInput.value,
      lon: lonInput.value,
    };
  }

  /* The report waits on the device: the form is free for the next one. */
  function clearAfterQueued() {
    form.reset();
    photos.forEach(function (photo) { URL.revokeObjectURL(photo.url); });
    photos = [];
    syncPhotoInput();
    renderPhotos();
    if (marker) {
      marker.remove();
      marker = null;
    }
    latInput.value = "";
    lonInput.value = "";
    addressLabel = "";
    routingBox.textContent = "";
    locationStatus.textContent = "";
    hideNearby();
    clearErrors();
    submitButton.disabled = false;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    // The server checks everything again; this only shows all missing fields at once.
    var missing = {};
    if (!latInput.value || !lonInput.value) {
      missing.place = [S.needLocation];
    } else if (outsideArea) {
      missing.place = [routingBox.textContent];
    }
    if (!categorySelect.value) {
      missing.category = [S.needCategory];
    }
    if (!$("id_description").value.trim()) {
      missing.description = [S.needDescription];
    }
    if (emailInput && !emailInput.value.trim()) {
      missing.email = [S.needEmail];
    } else if (emailInput && !emailInput.checkValidity()) {
      missing.email = [S.badEmail];
    }
    if (Object.keys(missing).length) {
      showErrors(missing);
      return;
    }
    var data = new FormData(form);
    ["place", "place_choice", "csrfmiddlewaretoken", "photos"].forEach(function (name) {
      data.delete(name);
    });
    data.set("address", addressLabel || placeInput.value.trim());
    photos.forEach(function (photo) { data.append("photos", photo.file, photo.file.name); });

    submitButton.disabled = true;
    form.setAttribute("aria-busy", "true");
    submitStatus.textContent = S.sending;
    // Without a connection offline-reports.js keeps the report on the device (docs/offline.md).
    var offline = window.MMOfflineReports;
    var result = offline
      ? await offline.submit(config.api.reports, data, reportSummary())
      : await MM.post(config.api.reports, data);
    form.removeAttribute("aria-busy");
    submitStatus.textContent = "";
    if (result.queued) {
      clearAfterQueued();
      return;
    }
    if (result.status === 201 && result.body) {
      window.location.assign(form.dataset.thanksUrl.replace("/0/", "/" + result.body.id + "/"));
      return;
    }
    submitButton.disabled = false;
    if (result.status === 400 && result.body) {
      showErrors(result.body);
    } else if (result.status === 429) {
      showErrors({ detail: [S.tooMany] });
    } else {
      showErrors({ detail: [S.sendFailed] });
    }
  });

  // A form re-rendered by the server may already carry a position.
  if (latInput.value && lonInput.value) {
    var start = L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value));
    setLocation(start, { pan: true, label: placeInput.value });
  }
})();
