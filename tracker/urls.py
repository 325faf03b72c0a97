"""Citizen report pages (namespace "tracker")."""

from django.urls import path

from . import abuse, feeds, live, views

app_name = "tracker"
urlpatterns = [
    path("", views.home, name="home"),
    path("melden/", views.report_new, name="report-new"),
    path("karte/", views.public_map, name="map"),
    path("meldungen/<int:pk>/", views.report_detail, name="report"),
    path("meldungen/<int:pk>/stand.json", live.public_state, name="report-live"),
    path("meldungen/<int:pk>/danke/", views.report_thanks, name="thanks"),
    path("meldungen/<int:pk>/missbrauch/", abuse.report_abuse, name="report-abuse"),
    path("verfolgen/<str:token>/", views.track, name="track"),
    path("verfolgen/<str:token>/stand.json", live.track_state, name="track-live"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    # Feeds of new public reports (tracker.feeds): all, per Gemeinde, per category.
    path("meldungen/neu.rss", feeds.NewReportsFeed(), name="feed-rss"),
    path("meldungen/neu.atom", feeds.NewReportsAtomFeed(), name="feed-atom"),
    path("meldungen/gemeinde/<slug:slug>.rss", feeds.TownReportsFeed(), name="feed-town-rss"),
    path("meldungen/gemeinde/<slug:slug>.atom", feeds.TownReportsAtomFeed(), name="feed-town-atom"),
    path(
        "meldungen/kategorie/<slug:slug>.rss", feeds.CategoryReportsFeed(), name="feed-category-rss"
    ),
    path(
        "meldungen/kategorie/<slug:slug>.atom",
        feeds.CategoryReportsAtomFeed(),
        name="feed-category-atom",
    ),
]
