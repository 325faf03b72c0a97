"""Authorities and their versioned boundaries (MapIt's generations, simplified per level)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from geo.srid import WGS84

from .colours import graphics_contrast, text_contrast


class Level(models.TextChoices):
    """Tiers of German public administration, plus non-territorial operators."""

    BUND = "bund", _("Bund")
    LAND = "land", _("Land")
    KREIS = "kreis", _("Landkreis / kreisfreie Stadt")
    SAMTGEMEINDE = "samtgemeinde", _("Samtgemeinde / Amt")
    GEMEINDE = "gemeinde", _("Gemeinde / Stadt")
    OPERATOR = "operator", _("Betreiber / Fachbehörde")


# From the broadest to the most local territorial tier.
TERRITORIAL_LEVELS = [Level.BUND, Level.LAND, Level.KREIS, Level.SAMTGEMEINDE, Level.GEMEINDE]

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Farbe als #RRGGBB angeben."))


class Authority(models.Model):
    """A public body or operator that can be responsible for reports."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    level = models.CharField(_("Ebene"), max_length=20, choices=Level.choices)
    ags = models.CharField(
        _("AGS"),
        max_length=8,
        blank=True,
        db_index=True,
        help_text=_("Amtlicher Gemeindeschlüssel: 2 (Land), 5 (Kreis) oder 8 Stellen (Gemeinde)."),
    )
    ars = models.CharField(
        _("ARS"), max_length=12, blank=True, help_text=_("Amtlicher Regionalschlüssel")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    delegates_to = models.ForeignKey(
        "self",
        verbose_name=_("Aufgaben wahrgenommen durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegating",
        help_text=_(
            "Z. B. die Samtgemeinde, die Meldungen für diese Mitgliedsgemeinde bearbeitet."
        ),
    )
    handles_ortsdurchfahrten = models.BooleanField(
        _("Baulastträger für Ortsdurchfahrten"),
        default=False,
        help_text=_(
            "Gemeinden ab 50.000 Einwohnern (in Niedersachsen) tragen die Baulast für "
            "Ortsdurchfahrten von Bundes-, Landes- und Kreisstraßen selbst."
        ),
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    website = models.URLField(_("Website"), blank=True)
    colour = models.CharField(
        _("Hauptfarbe"),
        max_length=7,
        default="#00508c",
        validators=[hex_colour, text_contrast],
        help_text=_("Kopfzeile, Schaltflächen und Links; mindestens 4,5:1 Kontrast zu Weiß."),
    )
    logo = models.ImageField(_("Logo"), upload_to="authority-logos/", blank=True)
    # Portal identity (boundaries.identity): the operating authority's brands every page and
    # mail; a town with `own_identity` brands its own pages and the mails about its reports.
    portal_name = models.CharField(
        _("Name des Portals"),
        max_length=80,
        blank=True,
        help_text=_("Z. B. „Mängelmelder Heideland“. Leer: „Mängelmelder“."),
    )
    secondary_colour = models.CharField(
        _("Zweitfarbe"),
        max_length=7,
        blank=True,
        validators=[hex_colour, graphics_contrast],
        help_text=_("Zierlinien und Rahmen; mindestens 3:1 Kontrast zu Weiß. Leer: Hauptfarbe."),
    )
    logo_static = models.CharField(
        _("mitgeliefertes Logo"),
        max_length=200,
        blank=True,
        help_text=_(
            "Pfad einer statischen Datei (z. B. „data/logos/heideland.svg“), wenn kein Logo "
            "hochgeladen ist."
        ),
    )
    banner = models.ImageField(_("Banner"), upload_to="authority-portal-banners/", blank=True)
    banner_alt = models.CharField(_("Alternativtext des Banners"), max_length=200, blank=True)
    own_identity = models.BooleanField(
        _("eigenes Erscheinungsbild"),
        default=False,
        help_text=_(
            "Seiten dieser Stelle und E-Mails zu ihren Meldungen tragen ihren Namen, ihr Logo "
            "und ihre Farben statt der des Portalbetreibers."
        ),
    )
    address = models.TextField(_("Anschrift"), blank=True)
    opening_hours = models.TextField(
        _("Öffnungszeiten"), blank=True, help_text=_("Eine Zeile je Tag oder Zeitraum.")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Behörde")
        verbose_name_plural = _("Behörden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "ags"],
                condition=~models.Q(ags=""),
                name="authority_unique_ags_per_level",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]


class BoundarySet(models.Model):
    """One import of boundaries for one level. Exactly one set per level is active at a time;
    reports keep the authority they were routed to, so activating a new set never reroutes them."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    level = models.CharField(_("Ebene"), max_length=20, choices=Level.choices)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("importiert am"), auto_now_add=True)
    activated_at = models.DateTimeField(_("aktiviert am"), null=True, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=False)

    class Meta:
        verbose_name = _("Gebietsstand")
        verbose_name_plural = _("Gebietsstände")
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(is_active=True),
                name="one_active_set_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class Boundary(models.Model):
    """An authority's territory in one boundary set, valid MultiPolygon in WGS84."""

    boundary_set = models.ForeignKey(
        BoundarySet, on_delete=models.CASCADE, related_name="boundaries"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="boundaries")
    geom = models.MultiPolygonField(srid=WGS84)

    class Meta:
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        constraints = [
            models.UniqueConstraint(
                fields=["boundary_set", "authority"], name="one_boundary_per_authority_and_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} [{self.boundary_set.name}]"


class BoundaryPiece(models.Model):
    """`ST_Subdivide`d pieces of a boundary: small polygons make point-in-polygon fast
    (MapIt's GeometrySubdivided). Maintained by the import; level and activity are
    denormalised so the lookup is one indexed scan without joins."""

    boundary = models.ForeignKey(Boundary, on_delete=models.CASCADE, related_name="pieces")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=20, choices=Level.choices)
    is_active = models.BooleanField(default=False)
    geom = models.PolygonField(srid=WGS84)

    class Meta:
        verbose_name = _("Gebietsteil")
        verbose_name_plural = _("Gebietsteile")


class RoadAuthority(models.Model):
    """Who maintains roads of a class within a territory, e.g. Bundes- and Landesstraßen in
    Lower Saxony → NLStBV Geschäftsbereich Lüneburg. The most local matching territory wins;
    an entry without territory applies everywhere."""

    road_class = models.CharField(_("Straßenklasse"), max_length=2)
    territory = models.ForeignKey(
        Authority,
        verbose_name=_("Gebiet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="road_authority_rules",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("zuständig"),
        on_delete=models.CASCADE,
        related_name="roads_maintained",
    )

    class Meta:
        verbose_name = _("Straßenbaulastträger")
        verbose_name_plural = _("Straßenbaulastträger")
        constraints = [
            models.UniqueConstraint(
                fields=["road_class", "territory"],
                name="one_road_authority_per_class_and_territory",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.road_class} → {self.authority}"
