from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from geo.tiles import report_tile_view

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("config.api_urls")),
    path("open311/v2/", include("tracker.open311.urls")),
    path("tiles/reports/<str:z>/<str:x>/<str:y>.pbf", report_tile_view, name="report-tile"),
    path("planung/", include("frontend.planning_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("accounts.urls")),
    path("", include("legal.urls")),
    path("", include("catalogue.urls")),
    path("", include("frontend.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages in the visitor's language on our layout (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
