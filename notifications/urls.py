"""Under /konto/benachrichtigungen/ (included from accounts/urls.py)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("<int:pk>/loeschen/", views.alert_delete, name="alert-delete"),
    path("meldungen/<int:pk>/folgen/", views.follow, name="follow"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
