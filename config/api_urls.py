"""The REST API under /api/v1/."""

from django.urls import path

from boundaries.api import LocateView

app_name = "api"
urlpatterns = [
    path("locate", LocateView.as_view(), name="locate"),
]
