"""The collections of the OGC API – Features endpoint (/ogc/, views in planning/ogc_views.py):
what each one serves, from which query, with which properties. Reports are the public ones
(approximate locations, no contact data); inspections are for staff of the road authority.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from boundaries.models import Boundary
from geo.models import Asset, RoadSegment
from tracker.inspections.models import SegmentInspection
from tracker.selectors import public_reports, staff_scope


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    rows: Callable[[Any], QuerySet[Any]]  # user → queryset annotated with `geojson`
    geom: str  # the geometry column for bbox filters
    properties: tuple[str, ...]  # value names copied into each feature's properties
    datetime: str | None = None  # the column `datetime` filters on
    staff_only: bool = False


def _reports(user: Any) -> QuerySet[Any]:
    from django.contrib.gis.db.models.functions import SnapToGrid

    from tracker.selectors import PUBLIC_GRID_DEGREES

    return public_reports().annotate(
        geojson=AsGeoJSON(SnapToGrid("location", PUBLIC_GRID_DEGREES), precision=6),
        category_name=F("category__name"),
        authority_name=F("authority__name"),
    )


def _roads(user: Any) -> QuerySet[Any]:
    return RoadSegment.objects.annotate(
        geojson=AsGeoJSON("geom", precision=6), owner_name=F("owner__name")
    )


def _assets(user: Any) -> QuerySet[Any]:
    return Asset.objects.annotate(
        geojson=AsGeoJSON("geom", precision=6), owner_name=F("owner__name")
    )


def _boundaries(user: Any) -> QuerySet[Any]:
    return Boundary.objects.filter(boundary_set__is_active=True).annotate(
        geojson=AsGeoJSON("geom", precision=6),
        authority_name=F("authority__name"),
        level=F("authority__level"),
        ags=F("authority__ags"),
    )


def _inspections(user: Any) -> QuerySet[Any]:
    rows = SegmentInspection.objects.annotate(
        geojson=AsGeoJSON("segment__geom", precision=6),
        ref=F("segment__ref"),
        name=F("segment__name"),
        road_class=F("segment__road_class"),
        route=F("round__plan__name"),
        team=Coalesce(F("round__team__name"), F("round__plan__name")),
        crew=F("round__started_by__email"),
    )
    scope = staff_scope(user)
    return rows if scope is None else rows.filter(segment__owner_id__in=scope)


COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "reports",
            "Meldungen",
            "Öffentliche Mängelmeldungen (Ort auf etwa 10 m gerundet, ohne Kontaktdaten).",
            _reports,
            "location",
            ("status", "description", "category_name", "authority_name", "created_at"),
            datetime="created_at",
        ),
        Collection(
            "roads",
            "Straßenabschnitte",
            "Das Straßennetz mit Straßenklasse und Baulastträger.",
            _roads,
            "geom",
            ("road_class", "ref", "name", "owner_name", "ortsdurchfahrt", "external_id"),
        ),
        Collection(
            "assets",
            "Objekte",
            "Straßenlaternen, Bänke, Schilder und andere Objekte mit Eigentümer.",
            _assets,
            "geom",
            ("asset_type", "external_id", "name", "owner_name"),
        ),
        Collection(
            "boundaries",
            "Gebiete",
            "Die aktiven Gebiete der zuständigen Stellen.",
            _boundaries,
            "geom",
            ("authority_name", "level", "ags"),
        ),
        Collection(
            "inspections",
            "Streckenkontrollen",
            "Kontrollierte Straßenabschnitte mit Datum, Kolonne und Befunden (nur Mitarbeitende).",
            _inspections,
            "segment__geom",
            (
                "inspected_at",
                "ref",
                "name",
                "road_class",
                "route",
                "team",
                "crew",
                "by_track",
                "findings",
            ),
            datetime="inspected_at",
            staff_only=True,
        ),
    )
}
