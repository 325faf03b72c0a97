"""The Abfallkalender under /abfall/."""

from django.urls import path

from . import views

app_name = "waste"
urlpatterns = [
    path("abfall/", views.lookup, name="lookup"),
    path("abfall/kalender.ics", views.address_ical, name="address-ical"),
    path("abfall/bezirk/<int:pk>/", views.district_page, name="district"),
    path("abfall/bezirk/<int:pk>/abfuhrtermine.ics", views.district_ical, name="district-ical"),
    path("abfall/bezirk/<int:pk>/erinnerung/", views.subscribe, name="subscribe"),
    path("abfall/bestaetigen/<str:token>/", views.confirm, name="confirm"),
]
