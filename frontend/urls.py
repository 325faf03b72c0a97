from django.urls import path

from . import staff_views

app_name = "frontend"
urlpatterns = [
    # Staff pages (issue 5): work queue and staff report page.
    path("arbeit/", staff_views.queue, name="staff-queue"),
    path("arbeit/karte.json", staff_views.queue_map_data, name="staff-map-data"),
    path("arbeit/sammelaktion/", staff_views.bulk, name="staff-bulk"),
    path("arbeit/meldungen/<int:pk>/", staff_views.report_detail, name="staff-report"),
    path(
        "arbeit/meldungen/<int:pk>/<slug:action>/",
        staff_views.report_action,
        name="staff-report-action",
    ),
]
