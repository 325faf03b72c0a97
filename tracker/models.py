"""Categories with their routing rules. Reports follow in the citizen reporting work."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from boundaries.models import Level
from geo.models import AssetType


class Category(models.Model):
    """What a citizen can report, and how the report finds its authority."""

    slug = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    level = models.CharField(
        _("zuständige Ebene"),
        max_length=20,
        choices=Level.choices,
        default=Level.GEMEINDE,
        help_text=_(
            "Wer zuständig ist, wenn weder Objekt noch Straße die Zuständigkeit bestimmen."
        ),
    )
    snap_to_roads = models.BooleanField(
        _("an Straßen ausrichten"),
        default=False,
        help_text=_("Meldungen auf einer Straße gehen an deren Baulastträger."),
    )
    road_classes = models.CharField(
        _("Straßenklassen"),
        max_length=20,
        blank=True,
        help_text=_("z. B. „BLKG“; leer = alle Klassen"),
    )
    asset_type = models.CharField(
        _("Objektart"), max_length=30, choices=AssetType.choices, blank=True
    )
    snap_tolerance_m = models.FloatField(
        _("Fangradius (m)"),
        default=25.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(500.0)],
    )
    fixed_authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("feste Stelle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixed_categories",
        help_text=_("Z. B. ein Versorger, der alle Meldungen dieser Kategorie bearbeitet."),
    )
    duplicate_radius_m = models.FloatField(
        _("Radius für Duplikate (m)"),
        default=50.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1000.0)],
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A working group of an authority, e.g. "Straßenmeisterei Nord" or "Bauhof Winsen"."""

    authority = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Behörde"),
        on_delete=models.CASCADE,
        related_name="teams",
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("Kategorien"), blank=True, related_name="teams"
    )

    class Meta:
        verbose_name = _("Team")
        verbose_name_plural = _("Teams")
        ordering = ["authority__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.authority})"
