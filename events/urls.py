"""The events calendar under /veranstaltungen/."""

from django.urls import path

from . import feeds, views

app_name = "events"
urlpatterns = [
    path("veranstaltungen/", views.month, name="month"),
    path("veranstaltungen/liste/", views.event_list, name="list"),
    path("veranstaltungen/karte/", views.event_map, name="on-map"),
    path("veranstaltungen/abonnieren/", views.feeds, name="feeds"),
    path("veranstaltungen/<int:pk>/", views.event_detail, name="detail"),
    path("veranstaltungen/<int:pk>/merken/", views.favourite, name="favourite"),
    path("veranstaltungen/kalender.ics", views.ical_all, name="ical"),
    path("veranstaltungen/stelle/<slug:slug>.ics", views.ical_authority, name="ical-authority"),
    path("veranstaltungen/art/<slug:slug>.ics", views.ical_category, name="ical-category"),
    path("veranstaltungen/neu.rss", feeds.NewEventsFeed(), name="rss"),
    path("veranstaltungen/neu.atom", feeds.NewEventsAtomFeed(), name="atom"),
]
