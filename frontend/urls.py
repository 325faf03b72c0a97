from django.urls import path

from . import staff_views, views

app_name = "frontend"
urlpatterns = [
    path("", views.home, name="home"),
    path("melden/", views.report_new, name="report-new"),
    path("karte/", views.public_map, name="map"),
    path("meldungen/<int:pk>/", views.report_detail, name="report"),
    path("meldungen/<int:pk>/danke/", views.report_thanks, name="thanks"),
    path("verfolgen/<str:token>/", views.track, name="track"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
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
