"""Citizen report pages (namespace "tracker")."""

from django.urls import path

from . import abuse, views

app_name = "tracker"
urlpatterns = [
    path("", views.home, name="home"),
    path("melden/", views.report_new, name="report-new"),
    path("karte/", views.public_map, name="map"),
    path("meldungen/<int:pk>/", views.report_detail, name="report"),
    path("meldungen/<int:pk>/danke/", views.report_thanks, name="thanks"),
    path("meldungen/<int:pk>/missbrauch/", abuse.report_abuse, name="report-abuse"),
    path("verfolgen/<str:token>/", views.track, name="track"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
]
