"""The reports' feeds in the site's feed registry (core.feeds): linked as
<link rel="alternate"> on the start page, the map and report pages; /feeds/ lists the
per-Gemeinde and per-category variants."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boundaries.models import Authority, Level
from core import feeds

from .models import Category


def _variants() -> list[feeds.FeedVariant]:
    towns = Authority.objects.filter(level=Level.GEMEINDE, is_active=True).order_by("name")
    categories = Category.objects.filter(is_active=True).order_by("sort_order", "name")
    return [
        feeds.FeedVariant(
            town.name,
            reverse("tracker:feed-town-rss", args=[town.slug]),
            reverse("tracker:feed-town-atom", args=[town.slug]),
        )
        for town in towns
    ] + [
        feeds.FeedVariant(
            _("Kategorie: %(name)s") % {"name": category.name},
            reverse("tracker:feed-category-rss", args=[category.slug]),
            reverse("tracker:feed-category-atom", args=[category.slug]),
        )
        for category in categories
    ]


def register() -> None:
    feeds.register(
        feeds.FeedLink(
            key="reports",
            title=gettext_lazy("Neue Meldungen"),
            description=gettext_lazy(
                "Neu eingegangene öffentliche Meldungen, auch je Gemeinde und Kategorie."
            ),
            rss_url=lambda: reverse("tracker:feed-rss"),
            atom_url=lambda: reverse("tracker:feed-atom"),
            pages=("=/", "/karte/", "/meldungen/"),
            variants=_variants,
            order=10,
        )
    )
