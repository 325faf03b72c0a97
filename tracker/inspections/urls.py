"""/arbeit/kontrollen/ — the Streckenkontrolle pages (URL names inspections:*)."""

from django.urls import path

from . import map_views, views

app_name = "inspections"
urlpatterns = [
    path("arbeit/kontrollen/", views.routes, name="routes"),
    path("arbeit/kontrollen/routen/<int:pk>/", views.route_detail, name="route"),
    path("arbeit/kontrollen/routen/<int:pk>/beginnen/", views.round_start, name="start"),
    path("arbeit/kontrollen/fahrten/<int:pk>/", views.round_page, name="round"),
    path("arbeit/kontrollen/fahrten/<int:pk>/punkte/", views.round_points, name="points"),
    path("arbeit/kontrollen/fahrten/<int:pk>/befund/", views.round_defect, name="defect"),
    path("arbeit/kontrollen/fahrten/<int:pk>/beenden/", views.round_end, name="end"),
    path(
        "arbeit/kontrollen/kacheln/<str:z>/<str:x>/<str:y>.pbf",
        map_views.road_tile,
        name="tile",
    ),
    path("arbeit/kontrollen/nachweis/<int:pk>/", views.record_page, name="record"),
    path("arbeit/kontrollen/nachweis/<int:pk>/csv/", views.record_csv, name="record-csv"),
    path("arbeit/kontrollen/nachweis/<int:pk>/pdf/", views.record_pdf_view, name="record-pdf"),
]
