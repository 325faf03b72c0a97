"""RSS and Atom feeds of plans newly put on public display (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import Plan

FEED_ITEMS = 30


class NewPlansFeed(Feed):
    def title(self) -> str:
        return _("Neue Bebauungspläne in der Auslegung")

    def link(self) -> str:
        return reverse("participation:list")

    def description(self) -> str:
        return _("Bebauungspläne, zu denen Sie Stellung nehmen können.")

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        return None

    def items(self) -> QuerySet[Plan]:
        return (
            selectors.public_plans()
            .filter(published_at__isnull=False)
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: Plan) -> str:
        return str(item)

    def item_description(self, item: Plan) -> str:
        start = timezone.localtime(item.display_start).strftime("%d.%m.%Y")
        end = timezone.localtime(item.display_end).strftime("%d.%m.%Y")
        period = _("Auslegung vom %(start)s bis %(end)s") % {"start": start, "end": end}
        return " – ".join(p for p in (item.authority.name, period, item.description[:300]) if p)

    def item_link(self, item: Plan) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Plan) -> str:
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Plan) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Plan) -> datetime:
        return item.updated_at


class NewPlansAtomFeed(NewPlansFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
