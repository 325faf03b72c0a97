"""The installable web app: manifest, service worker and offline page.

* `/manifest.webmanifest` — name and theme colour from the portal identity (the function
  named in settings.PORTAL_IDENTITY, boundaries.identity; frontend imports no domain app),
  else settings.SITE_NAME; German, icons from
  frontend/static/img/icons (drawn by scripts/make_icons.py).
* `/sw.js` — the service worker, served from the site root so its scope is the whole portal.
  It uses Workbox from npm (workbox-sw and its modules, served from our own static files under
  vendor/workbox/, never a CDN): the app shell (offline page, styles, scripts, icons, the map
  libraries) is precached with a revision per file content; other static files (styles,
  scripts, fonts, images) and base-map tiles are cached at run time (stale while revalidate);
  pages always come from the network, and a navigation that fails shows the offline page.
  Pages are never cached: they carry personal data and CSRF tokens.
* `/offline/` — the offline page (standalone, no personal data), precached by the worker.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Static files of the app shell, precached at install.
SHELL_FILES = [
    "css/site.css",
    "js/maps.js",
    "js/basemap.js",
    "js/pwa.js",
    "img/favicon.svg",
    "img/icons/icon-192.png",
    "img/icons/icon-512.png",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/maplibre-gl/maplibre-gl-csp.js",
    "vendor/maplibre-gl/maplibre-gl-csp-worker.js",
    "vendor/maplibre-gl/maplibre-gl.css",
    "vendor/maplibre-gl-leaflet/leaflet-maplibre-gl.js",
]
# Both offline queues reach IndexedDB through the `idb` package; the worker loads it once.
IDB_SCRIPT = "vendor/idb/umd.js"
# The offline report queue, shared by the report page and the worker (docs/offline.md).
OFFLINE_REPORT_SCRIPT = "js/offline-reports-store.js"
# The crews' queue of changes, shared by the Unterwegs page and the worker (docs/offline.md).
CREW_QUEUE_SCRIPT = "js/crew-queue.js"
THEME_COLOUR = "#00508c"
BASEMAP_CACHE_ENTRIES = 5000


@lru_cache(maxsize=64)
def _file_revision(name: str) -> str:
    path = finders.find(name)
    if not path or isinstance(path, list):
        return "missing"
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


def precache_entries() -> list[dict[str, str]]:
    """[{url, revision}] of the app shell (revision = hash of the content)."""
    entries = [{"url": static(name), "revision": _file_revision(name)} for name in SHELL_FILES]
    offline = render_to_string("frontend/offline.html", {"site_name": settings.SITE_NAME})
    entries.append(
        {
            "url": reverse("offline"),
            "revision": hashlib.sha256(offline.encode()).hexdigest()[:16],
        }
    )
    return entries


def _identity(request: HttpRequest) -> tuple[str, str, str]:
    """(name, short name, theme colour) of the portal."""
    provider = getattr(settings, "PORTAL_IDENTITY", "")
    if not provider:
        return settings.SITE_NAME, settings.SITE_SHORT_NAME, THEME_COLOUR
    identity = import_string(provider)(request)
    short = identity.name if len(identity.name) <= 12 else settings.SITE_SHORT_NAME
    return identity.name, short, identity.colour


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    name, short_name, colour = _identity(request)
    data = {
        "name": name,
        "short_name": short_name,
        "description": _("Schäden und Mängel im öffentlichen Raum melden und verfolgen."),
        "lang": "de",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": colour,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    script = render_to_string(
        "frontend/sw.js",
        {
            "workbox": static("vendor/workbox/workbox-sw.js"),
            "modules": static("vendor/workbox/"),
            "static_prefix": settings.STATIC_URL,
            "precache": json.dumps(precache_entries()),
            "offline_url": json.dumps(reverse("offline")),
            "tiles_prefix": json.dumps("/tiles/base/"),
            "tile_entries": BASEMAP_CACHE_ENTRIES,
            # Citizens' offline reports (docs/offline.md).
            "idb_script": json.dumps(static(IDB_SCRIPT)),
            "offline_store_script": json.dumps(static(OFFLINE_REPORT_SCRIPT)),
            "reports_path": json.dumps(reverse("api:reports")),
            "crew_queue_script": json.dumps(static(CREW_QUEUE_SCRIPT)),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at most daily anyway; never let a proxy keep an old one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/offline.html", {"site_name": settings.SITE_NAME})
