"""RSS and Atom feeds of newly published events (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Event

FEED_ITEMS = 30


class NewEventsFeed(Feed):
    def title(self) -> str:
        return _("Neue Veranstaltungen")

    def link(self) -> str:
        return reverse("events:month")

    def description(self) -> str:
        return _("Neu eingetragene Veranstaltungen, Sprechstunden und Märkte.")

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        return None

    def items(self) -> QuerySet[Event]:
        return (
            Event.objects.filter(is_published=True)
            .select_related("category", "authority")
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: Event) -> str:
        when = timezone.localtime(item.starts_at)
        day = when.strftime("%d.%m.%Y") if item.all_day else when.strftime("%d.%m.%Y %H:%M")
        return f"{item.title} ({day})"

    def item_description(self, item: Event) -> str:
        return " – ".join(p for p in (item.category.name, item.authority.name, item.address) if p)

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Event) -> str:
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> datetime:
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [item.category.name]


class NewEventsAtomFeed(NewEventsFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
