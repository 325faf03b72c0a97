"""The road network and point assets that reports can snap to."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .srid import WGS84


class RoadClass(models.TextChoices):
    AUTOBAHN = "A", _("Autobahn")
    BUNDESSTRASSE = "B", _("Bundesstraße")
    LANDESSTRASSE = "L", _("Landesstraße")
    KREISSTRASSE = "K", _("Kreisstraße")
    GEMEINDESTRASSE = "G", _("Gemeindestraße")
    OTHER = "O", _("sonstige")


class AssetType(models.TextChoices):
    STREETLIGHT = "streetlight", _("Straßenlaterne")
    BENCH = "bench", _("Sitzbank")
    BIN = "bin", _("Abfallbehälter")
    PLAYGROUND = "playground", _("Spielplatz")
    SIGN = "sign", _("Verkehrszeichen")
    TREE = "tree", _("Baum")
    TRAFFIC_SIGNAL = "traffic_signal", _("Ampel")
    HYDRANT = "hydrant", _("Hydrant")
    BUS_STOP = "bus_stop", _("Haltestelle")
    OTHER = "other", _("sonstiges Objekt")


class RoadSegment(models.Model):
    """One way of the road network. `owner` is the Straßenbaulastträger derived at import."""

    geom = models.LineStringField(srid=WGS84)
    road_class = models.CharField(_("Straßenklasse"), max_length=1, choices=RoadClass.choices)
    ref = models.CharField(_("Straßennummer"), max_length=100, blank=True, db_index=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Baulastträger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="road_segments",
    )
    ortsdurchfahrt = models.BooleanField(_("Ortsdurchfahrt"), default=False)
    external_id = models.CharField(
        _("externe Kennung"), max_length=100, blank=True, unique=True, null=True
    )
    source = models.CharField(_("Quelle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Straßenabschnitt")
        verbose_name_plural = _("Straßenabschnitte")

    def __str__(self) -> str:
        label = self.ref or self.name or f"#{self.pk}"
        return f"{label} ({self.get_road_class_display()})"


class Asset(models.Model):
    """A point asset someone maintains: a streetlight, a bench, a bin …"""

    geom = models.PointField(srid=WGS84)
    asset_type = models.CharField(_("Art"), max_length=30, choices=AssetType.choices)
    external_id = models.CharField(_("externe Kennung"), max_length=100)
    name = models.CharField(_("Bezeichnung"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "boundaries.Authority",
        verbose_name=_("Eigentümer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    source = models.CharField(_("Quelle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Objekt")
        verbose_name_plural = _("Objekte")
        constraints = [
            models.UniqueConstraint(
                fields=["asset_type", "external_id"], name="asset_unique_external_id_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_asset_type_display()} {self.external_id}"


class AddressPoint(models.Model):
    """One official house coordinate (Hauskoordinate): street, house number, postcode, town.

    Imported with `manage.py import_addresses` (ALKIS/"Hauskoordinaten" exports, OSM `addr:*`
    points); the place search finds "Lindenweg 5, Heidestadt" with it, the reverse lookup
    names the house nearest to a pin."""

    geom = models.PointField(srid=WGS84)
    street = models.CharField(_("Straße"), max_length=200)
    house_number = models.CharField(_("Hausnummer"), max_length=20)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    town = models.CharField(_("Ort"), max_length=200, blank=True)
    source = models.CharField(_("Quelle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Adresse")
        verbose_name_plural = _("Adressen")
        constraints = [
            models.UniqueConstraint(
                fields=["street", "house_number", "postcode", "town"],
                name="addresspoint_unique_address",
            )
        ]
        indexes = [models.Index(fields=["street", "house_number"], name="addresspoint_street_no")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        place = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (f"{self.street} {self.house_number}", place) if part)
