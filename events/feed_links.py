"""The calendar's feed in the site's feed registry (core.feeds): new events, council
sessions included, linked as <link rel="alternate"> on every calendar page. Dates for a
calendar app are the iCal feeds (/veranstaltungen/abonnieren/)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core import feeds


def register() -> None:
    feeds.register(
        feeds.FeedLink(
            key="events",
            title=gettext_lazy("Neue Veranstaltungen und Sitzungen"),
            description=gettext_lazy(
                "Neu eingetragene Veranstaltungen, Sprechstunden, Märkte und Ratssitzungen. "
                "Termine für Ihren Kalender gibt es als iCal unter „Kalender abonnieren“."
            ),
            rss_url=lambda: reverse("events:rss"),
            atom_url=lambda: reverse("events:atom"),
            pages=("/veranstaltungen/",),
            order=20,
        )
    )
