"""Subject access pages (privacy.views), included at the site root by config/urls.py."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("konto/daten/", views.my_data, name="my-data"),
    path("konto/daten/<str:token>/archiv.zip", views.download, name="download"),
    path("datenauskunft/<str:token>/", views.guest, name="guest"),
    path("datenschutz/gast-auskunft/", views.staff_guest_request, name="staff-guest"),
]
