"""Planner pages under /planung/ (namespace "planning")."""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.heatmap, name="heatmap"),
    path("brennpunkte/", views.hotspots, name="hotspots"),
    path("statistik/", views.statistics, name="statistics"),
    path("lagebild/<slug:slug>/", views.lagebild, name="lagebild"),
]
