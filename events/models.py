"""The events calendar: Veranstaltungen, Sprechstunden and Märkte of an authority."""

from __future__ import annotations

import uuid

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geo.srid import WGS84


class EventCategory(models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Veranstaltungsart")
        verbose_name_plural = _("Veranstaltungsarten")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """One dated event. All-day events keep their dates in `starts_at`/`ends_at` at local
    midnight and are shown (and exported) as dates."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Veranstalter (Behörde)"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    # The Gemeinde the event takes place in: from the place on the map, else the authority
    # itself when it is a Gemeinde (events.services.event_save).
    town = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Gemeinde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        EventCategory, verbose_name=_("Art"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    all_day = models.BooleanField(_("ganztägig"), default=False)
    location = models.PointField(_("Ort auf der Karte"), srid=WGS84, null=True, blank=True)
    address = models.CharField(_("Anschrift / Ort"), max_length=200, blank=True)
    accessibility = models.TextField(
        _("Barrierefreiheit"),
        blank=True,
        help_text=_("Z. B. stufenloser Zugang, Behinderten-WC, Induktionsschleife."),
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["is_published", "starts_at"], name="event_public_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def clean(self) -> None:
        if self.ends_at is not None and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende liegt vor dem Beginn.")})


class EventFavourite(models.Model):
    """A signed-in citizen marked an event; it appears in "Meine Anliegen"."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="event_favourites"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gemerkte Veranstaltung")
        verbose_name_plural = _("gemerkte Veranstaltungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="event_favourite_once")
        ]


# Council sessions from OParl live in their own module; imported here so Django sees them.
from .council_models import (  # noqa: E402
    CouncilAgendaItem,
    CouncilFile,
    CouncilMeeting,
    CouncilOrganization,
    CouncilPaper,
    FileRole,
    OParlSource,
)

__all__ = [
    "CouncilAgendaItem",
    "CouncilFile",
    "CouncilMeeting",
    "CouncilOrganization",
    "CouncilPaper",
    "Event",
    "EventCategory",
    "EventFavourite",
    "FileRole",
    "OParlSource",
]
