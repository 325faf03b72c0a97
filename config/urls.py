from django.contrib import admin
from django.urls import include, path

from boundaries.basemap_views import base_tile_view, pmtiles_tile_view
from core.media import serve as serve_media
from frontend import pwa
from frontend.feeds_page import feed_overview
from tracker.live import my_states
from tracker.tiles import report_tile_view

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The installable web app (frontend/pwa.py): the worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    # Every RSS/Atom feed the apps registered (core.feeds).
    path("feeds/", feed_overview, name="feeds"),
    # Uploads, served with permissions in every mode (core.media), never blindly.
    path("media/<path:name>", serve_media, name="media"),
    path("api/v1/", include("config.api_urls")),
    path("open311/v2/", include("tracker.open311.urls")),
    path("tiles/reports/<str:z>/<str:x>/<str:y>.pbf", report_tile_view, name="report-tile"),
    path("tiles/base/<str:z>/<str:x>/<str:y>.pbf", base_tile_view, name="base-tile"),
    path("tiles/extra/<str:z>/<str:x>/<str:y>", pmtiles_tile_view, name="extra-tile"),
    path("planung/", include("planning.urls")),
    path("ogc/", include("planning.ogc_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("privacy.urls")),
    # "Meine Anliegen" belongs to accounts, its reports to the tracker (tracker.live).
    path("konto/anliegen/stand.json", my_states, name="my-reports-live"),
    path("konto/", include("accounts.urls")),
    path("", include("legal.urls")),
    path("", include("catalogue.urls")),
    path("", include("events.urls")),
    path("", include("waste.urls")),
    path("", include("participation.urls")),
    path("", include("tracker.urls")),
    path("", include("tracker.staff.urls")),
    path("", include("tracker.inspections.urls")),
]
# Error pages in the visitor's language on our layout (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
