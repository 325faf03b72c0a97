"""Staff pages under /arbeit/ (the staff API's routes are in config/api_urls.py)."""

from django.urls import path

from . import live, offline, views

app_name = "staff"
urlpatterns = [
    path("arbeit/", views.queue, name="queue"),
    path("arbeit/stand.json", live.queue_states, name="live"),
    path("arbeit/karte.json", views.queue_map_data, name="map-data"),
    path("arbeit/unterwegs/", offline.offline_page, name="offline"),
    path("arbeit/sammelaktion/", views.bulk, name="bulk"),
    path("arbeit/meldungen/<int:pk>/", views.report_detail, name="report"),
    path("arbeit/meldungen/<int:pk>/<slug:action>/", views.report_action, name="report-action"),
]
