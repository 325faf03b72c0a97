"""The Abfallkalender: collection districts of a Gemeinde (an area, a street list or both),
pickup dates per waste type, and reminder subscriptions (double opt-in by e-mail)."""

from __future__ import annotations

import secrets

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from boundaries.models import hex_colour
from geo.srid import WGS84


class WasteType(models.Model):
    name = models.CharField(_("Name"), max_length=60, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    colour = models.CharField(_("Farbe"), max_length=7, default="#4b5563", validators=[hex_colour])
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Abfallart")
        verbose_name_plural = _("Abfallarten")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def normalise_street(name: str) -> str:
    """What street names are compared as: case, ß/ss and "str."/"straße" do not matter."""
    text = " ".join(name.lower().replace("ß", "ss").split())
    return text.replace("strasse", "str").replace("str.", "str")


class CollectionDistrict(models.Model):
    """A Gemeinde's collection district (Abfuhrbezirk). A street list wins over the area:
    an address on a listed street belongs here wherever its pin lands."""

    town = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Gemeinde"),
        on_delete=models.CASCADE,
        related_name="collection_districts",
    )
    name = models.CharField(_("Name"), max_length=100)
    area = models.MultiPolygonField(_("Gebiet"), srid=WGS84, null=True, blank=True)
    streets = models.TextField(
        _("Straßen"),
        blank=True,
        help_text=_("Eine Straße je Zeile (statt oder zusätzlich zum Gebiet)."),
    )

    class Meta:
        verbose_name = _("Abfuhrbezirk")
        verbose_name_plural = _("Abfuhrbezirke")
        ordering = ["town__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="district_name_per_town")
        ]

    def __str__(self) -> str:
        return f"{self.town.name}: {self.name}"

    def street_keys(self) -> set[str]:
        return {normalise_street(line) for line in self.streets.splitlines() if line.strip()}


class PickupDate(models.Model):
    district = models.ForeignKey(
        CollectionDistrict,
        verbose_name=_("Abfuhrbezirk"),
        on_delete=models.CASCADE,
        related_name="pickups",
    )
    waste_type = models.ForeignKey(
        WasteType, verbose_name=_("Abfallart"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("Datum"))

    class Meta:
        verbose_name = _("Abfuhrtermin")
        verbose_name_plural = _("Abfuhrtermine")
        ordering = ["date", "waste_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "waste_type", "date"], name="pickup_once_per_day"
            )
        ]
        indexes = [models.Index(fields=["date"], name="pickup_date")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.waste_type.name}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class WasteSubscription(models.Model):
    """An e-mail reminder the evening before each pickup in a district. Addresses typed in
    by guests wait for their confirmation (double opt-in); an account's verified address is
    confirmed at once."""

    district = models.ForeignKey(
        CollectionDistrict, on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField(_("E-Mail"))
    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waste_subscriptions",
    )
    language = models.CharField(max_length=5, default="de")
    token = models.CharField(max_length=64, unique=True, default=_token)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abfall-Erinnerung")
        verbose_name_plural = _("Abfall-Erinnerungen")
        constraints = [
            models.UniqueConstraint(fields=["district", "email"], name="waste_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.district}"

    @property
    def scope(self) -> str:
        """The opt-out scope of its mails; a new token (a new sign-up) is a new scope."""
        return f"waste:{self.pk}:{self.token[:8]}"
