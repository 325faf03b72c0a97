"""RSS and Atom feeds of new public reports, for everyone, per Gemeinde and per category
(django.contrib.syndication). Built on selectors.public_reports: confirmed reports only, no
contact data, positions only as approximate as on the public map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from boundaries.models import Authority, Boundary, Level

from .models import Category, Report
from .selectors import public_reports

FEED_ITEMS = 30


@dataclass(frozen=True)
class Scope:
    kind: str  # "all", "town" or "category"
    slug: str = ""
    name: str = ""


class NewReportsFeed(Feed):
    """/meldungen/neu.rss; subclasses narrow by Gemeinde or category."""

    scope_kind = "all"

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> Scope:
        slug = str(kwargs.get("slug", ""))
        if self.scope_kind == "town":
            town = Authority.objects.filter(slug=slug, level=Level.GEMEINDE, is_active=True).first()
            if town is None:
                raise Http404(_("Diese Gemeinde gibt es nicht."))
            return Scope("town", slug, town.name)
        if self.scope_kind == "category":
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                raise Http404(_("Diese Kategorie gibt es nicht."))
            return Scope("category", slug, category.name)
        return Scope("all")

    def title(self, obj: Scope) -> str:
        if obj.kind == "all":
            return _("Neue Meldungen")
        return _("Neue Meldungen: %(name)s") % {"name": obj.name}

    def link(self, obj: Scope) -> str:
        return reverse("tracker:map")

    def description(self, obj: Scope) -> str:
        return _("Neu eingegangene öffentliche Meldungen an den Mängelmelder.")

    def items(self, obj: Scope) -> QuerySet[Report]:
        reports = public_reports()
        if obj.kind == "category":
            reports = reports.filter(category__slug=obj.slug)
        elif obj.kind == "town":
            areas = Boundary.objects.filter(
                authority__slug=obj.slug, boundary_set__is_active=True
            ).values("geom")
            reports = reports.filter(location__coveredby=areas[:1])
        return reports.order_by("-created_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item: Report) -> str:
        return f"{item.reference}: {item.category.name} ({item.get_status_display()})"

    def item_description(self, item: Report) -> str:
        where = _("Ungefähre Lage: %(lat).4f N, %(lon).4f O") % {
            "lat": item.public_lat,  # type: ignore[attr-defined]
            "lon": item.public_lon,  # type: ignore[attr-defined]
        }
        return f"{Truncator(item.description).chars(300)}\n{where}"

    def item_link(self, item: Report) -> str:
        return reverse("tracker:report", args=[item.pk])

    def item_pubdate(self, item: Report) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Report) -> datetime:
        return item.updated_at

    def item_categories(self, item: Report) -> list[str]:
        return [item.category.name]


class NewReportsAtomFeed(NewReportsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Scope) -> str:
        return self.description(obj)


class TownReportsFeed(NewReportsFeed):
    scope_kind = "town"


class TownReportsAtomFeed(NewReportsAtomFeed):
    scope_kind = "town"


class CategoryReportsFeed(NewReportsFeed):
    scope_kind = "category"


class CategoryReportsAtomFeed(NewReportsAtomFeed):
    scope_kind = "category"
