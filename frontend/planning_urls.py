"""Planner pages under /planung/ (namespace "planning")."""

from django.urls import path

from . import planning_views

app_name = "planning"
urlpatterns = [
    path("", planning_views.heatmap, name="heatmap"),
    path("brennpunkte/", planning_views.hotspots, name="hotspots"),
    path("statistik/", planning_views.statistics, name="statistics"),
    path("lagebild/<slug:slug>/", planning_views.lagebild, name="lagebild"),
]
