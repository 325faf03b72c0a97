"""Routing: which authority owns a report at a point, for a category.

`route()` is the one place that decides; its answer is stored on the report (authority and
reason), so activating a new boundary set never silently reroutes old reports.
Every spatial step runs in PostGIS on indexed tables: subdivided boundary pieces with
`ST_Covers` (a point on a border line is still found), and metric `ST_DWithin` on geography
for roads and assets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Protocol

from django.contrib.gis.geos import Point
from django.db import connection
from django.utils.translation import gettext as _

from core.dbread import fetch_sets
from geo.models import RoadClass
from geo.snap import (
    AssetHit,
    RoadHit,
    asset_hit,
    nearest_asset_statement,
    nearest_road_statement,
    road_hit,
)

from .models import TERRITORIAL_LEVELS, Authority, Level, RoadAuthority
from .reverse import PlaceName, near_statement, place_near


class RoutingCategory(Protocol):
    """What route() reads of a report category (tracker.models.Category). A protocol, so
    boundaries does not import tracker, which sits above it."""

    @property
    def level(self) -> str: ...  # the Level responsible when neither asset nor road decide

    @property
    def snap_to_roads(self) -> bool: ...

    @property
    def road_classes(self) -> str: ...  # e.g. "BLKG"; empty: all classes

    @property
    def asset_type(self) -> str: ...  # empty: not an asset category

    @property
    def snap_tolerance_m(self) -> float: ...

    @property
    def fixed_authority_id(self) -> int | None: ...

    def get_asset_type_display(self) -> str: ...


class OutsideServiceArea(Exception):
    """The point lies outside every active boundary: no authority of ours is responsible."""

    def __init__(self, point: Point) -> None:
        super().__init__(
            _(
                "Der Ort (%(lat).5f, %(lon).5f) liegt außerhalb des Gebiets, das dieses Portal "
                "betreut. Bitte wenden Sie sich an die dortige Gemeinde."
            )
            % {"lat": point.y, "lon": point.x}
        )


class Reason(StrEnum):
    ASSET_OWNER = "asset_owner"
    ROAD_OWNER = "road_owner"
    BOUNDARY = "boundary"
    FIXED = "fixed"


@dataclass(frozen=True)
class CoveringAuthority:
    """An authority whose active boundary covers a point (one per level)."""

    id: int
    name: str
    slug: str
    level: str
    ags: str
    ars: str
    delegates_to_id: int | None
    handles_ortsdurchfahrten: bool


@dataclass(frozen=True)
class RoutingDecision:
    authority: Authority
    reason: Reason
    detail: str
    distance_m: float | None = None
    road: RoadHit | None = None
    asset: AssetHit | None = None
    covering: list[CoveringAuthority] = field(default_factory=list)


# One authority per level. A point exactly on a shared border is covered by both neighbours;
# DISTINCT ON with ORDER BY authority id makes the choice deterministic, so no point ever has
# two Gemeinden and none has none.
_COVERING_SQL = """
    SELECT DISTINCT ON (p.level)
           a.id, a.name, a.slug, a.level, a.ags, a.ars, a.delegates_to_id,
           a.handles_ortsdurchfahrten
    FROM boundaries_boundarypiece p
    JOIN boundaries_authority a ON a.id = p.authority_id
    WHERE p.is_active AND ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
    ORDER BY p.level, a.id
"""

# Bulk variant for imports and batch routing: one statement for many points.
_ROUTE_MANY_SQL = """
    SELECT pts.ord, hit.authority_id
    FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS pts(lon, lat, ord)
    LEFT JOIN LATERAL (
        SELECT COALESCE(a.delegates_to_id, a.id) AS authority_id
        FROM boundaries_boundarypiece p
        JOIN boundaries_authority a ON a.id = p.authority_id
        WHERE p.is_active AND p.level = %s
          AND ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(pts.lon, pts.lat), 4326))
        ORDER BY a.id
        LIMIT 1
    ) hit ON true
    ORDER BY pts.ord
"""

_LEVEL_RANK = {level.value: rank for rank, level in enumerate(TERRITORIAL_LEVELS)}

# Where to look when no authority of the wanted level covers a point: a Gemeinde without a
# Samtgemeinde (verbandsfrei) does those tasks itself, and a Samtgemeinde's tasks fall to a
# verbandsfreie Gemeinde. Never escalate to a broader tier: a point in a neighbouring Kreis
# that we do not serve must be rejected, not handed to the Land.
_LEVEL_FALLBACK: dict[str, list[str]] = {
    Level.GEMEINDE: [Level.GEMEINDE, Level.SAMTGEMEINDE],
    Level.SAMTGEMEINDE: [Level.SAMTGEMEINDE, Level.GEMEINDE],
}

_ROAD_CLASS_LEVEL = {
    RoadClass.KREISSTRASSE: Level.KREIS,
    RoadClass.GEMEINDESTRASSE: Level.GEMEINDE,
    RoadClass.OTHER: Level.GEMEINDE,
}


def authorities_at(point: Point) -> list[CoveringAuthority]:
    """Every authority whose active boundary covers the point, broadest level first."""
    with connection.cursor() as cursor:
        cursor.execute(_COVERING_SQL, [point.x, point.y])
        rows = [CoveringAuthority(*row) for row in cursor.fetchall()]
    return sorted(rows, key=lambda a: _LEVEL_RANK.get(a.level, 99))


def route_many(lons: Sequence[float], lats: Sequence[float], level: str) -> list[int | None]:
    """Authority ids (after delegation) at `level` for many points in one statement; None where
    no boundary of that level covers the point. For batch work (imports, re-routing previews)."""
    with connection.cursor() as cursor:
        cursor.execute(_ROUTE_MANY_SQL, [list(lons), list(lats), level])
        return [row[1] for row in cursor.fetchall()]


def _pick_level(covering: list[CoveringAuthority], level: str) -> CoveringAuthority | None:
    by_level = {a.level: a for a in covering}
    for candidate in _LEVEL_FALLBACK.get(level, [level]):
        if candidate in by_level:
            return by_level[candidate]
    return None


def _with_delegation(authority_id: int, covering: list[CoveringAuthority]) -> tuple[int, str]:
    """Apply a Gemeinde's delegation (e.g. to its Samtgemeinde). Returns (id, note)."""
    own = next((a for a in covering if a.id == authority_id), None)
    if own is not None and own.delegates_to_id:
        delegate = Authority.objects.only("name").get(pk=own.delegates_to_id)
        return delegate.pk, _("für %(own)s zuständig: %(delegate)s") % {
            "own": own.name,
            "delegate": delegate.name,
        }
    return authority_id, ""


_COVERING_FIELDS = tuple(f.name for f in fields(CoveringAuthority))


def _routed_authority(authority_id: int, covering: list[CoveringAuthority]) -> Authority:
    """The routed authority. When it covers the point (the usual case) it is built from the
    covering row, without a second query; its other fields load on first access, like a
    queryset's `.only()`."""
    row = next((a for a in covering if a.id == authority_id), None)
    if row is None:
        return Authority.objects.get(pk=authority_id)
    known = {name: getattr(row, name) for name in _COVERING_FIELDS}
    names = [f.attname for f in Authority._meta.concrete_fields if f.attname in known]
    return Authority.from_db("default", names, [known[name] for name in names])


def road_owner_at(
    road_class: str, ortsdurchfahrt: bool, covering: list[CoveringAuthority]
) -> tuple[int | None, str]:
    """The Straßenbaulastträger of a road of this class at a place (German road law, simplified):
    Gemeindestraßen → Gemeinde; Kreisstraßen → Landkreis; Bundes-/Landesstraßen (and
    Autobahnen) → the road authority configured for the territory. In an Ortsdurchfahrt the
    Gemeinde carries the burden when it is configured to (large towns)."""
    gemeinde = next((a for a in covering if a.level == Level.GEMEINDE), None)
    if (
        ortsdurchfahrt
        and gemeinde is not None
        and gemeinde.handles_ortsdurchfahrten
        and road_class in (RoadClass.BUNDESSTRASSE, RoadClass.LANDESSTRASSE, RoadClass.KREISSTRASSE)
    ):
        return gemeinde.id, _("Ortsdurchfahrt in der Baulast von %(name)s") % {
            "name": gemeinde.name
        }
    level = _ROAD_CLASS_LEVEL.get(RoadClass(road_class)) if road_class in RoadClass.values else None
    if level is not None:
        picked = _pick_level(covering, level)
        return (picked.id, "") if picked else (None, "")
    # A, B, L: a configured road authority, the most local territory first.
    territory_ids = [a.id for a in sorted(covering, key=lambda a: -_LEVEL_RANK.get(a.level, 0))]
    rules = {
        rule.territory_id: rule.authority_id
        for rule in RoadAuthority.objects.filter(road_class=road_class).only(
            "territory_id", "authority_id"
        )
    }
    for territory_id in [*territory_ids, None]:
        if territory_id in rules:
            return rules[territory_id], ""
    # Nothing configured: the Land administers federal and state roads (Auftragsverwaltung);
    # without a Land authority, the Kreis receives the report and can forward it.
    fallback = _pick_level(covering, Level.LAND) or _pick_level(covering, Level.KREIS)
    return (fallback.id, _("kein Straßenbaulastträger hinterlegt")) if fallback else (None, "")


def _road_label(road: RoadHit) -> str:
    label = RoadClass(road.road_class).label if road.road_class in RoadClass.values else ""
    return " ".join(part for part in (str(label), road.ref or road.name) if part)


@dataclass(frozen=True)
class _Found:
    """What the spatial lookups found at a point for a category (one round trip)."""

    covering: list[CoveringAuthority]
    asset: AssetHit | None = None
    road: RoadHit | None = None
    near: list[Any] | None = None  # boundaries.reverse.near_statement's rows, if asked


def _lookups(point: Point, category: RoutingCategory, *, place: bool) -> _Found:
    """The covering authorities, the nearest asset and road the category may be routed by,
    and (with `place`) the nearest house and street: sent together, answered together."""
    statements: list[tuple[str, list[Any]]] = [(_COVERING_SQL, [point.x, point.y])]
    tolerance = category.snap_tolerance_m
    want_asset = bool(category.asset_type) and not category.fixed_authority_id
    want_road = category.snap_to_roads and not category.fixed_authority_id
    if want_asset:
        statements.append(nearest_asset_statement(point, tolerance, category.asset_type))
    if want_road:
        statements.append(nearest_road_statement(point, tolerance, category.road_classes))
    if place:
        statements.append(near_statement(point))
    sets = iter(fetch_sets(statements, prepare=True))
    covering = [CoveringAuthority(*row) for row in next(sets)]
    covering.sort(key=lambda a: _LEVEL_RANK.get(a.level, 99))
    return _Found(
        covering,
        asset=asset_hit(next(sets)) if want_asset else None,
        road=road_hit(next(sets)) if want_road else None,
        near=next(sets) if place else None,
    )


def route(point: Point, category: RoutingCategory) -> RoutingDecision:
    """Decide who is responsible for a report of `category` at `point`.

    Order: fixed authority of the category → owner of an asset of the category's type within
    the snap tolerance → owner of a road within the tolerance (road categories) → the authority
    of the category's level whose boundary covers the point (after delegation).
    Raises OutsideServiceArea when no active boundary covers the point.
    """
    return _decide(point, category, _lookups(point, category, place=False))


def route_with_place(
    point: Point, category: RoutingCategory
) -> tuple[RoutingDecision, PlaceName | None]:
    """route() and boundaries.reverse.place_name_at() in one round trip (intake: a report
    without a typed address is stored with the nearest house or street). The Gemeinde of the
    place is the covering one routing found (the same rule: lowest id on a border)."""
    found = _lookups(point, category, place=True)
    decision = _decide(point, category, found)
    gemeinde = next((a.name for a in found.covering if a.level == Level.GEMEINDE), "")
    return decision, place_near(found.near or [], gemeinde)


def _decide(point: Point, category: RoutingCategory, found: _Found) -> RoutingDecision:
    covering = found.covering
    if not covering:
        raise OutsideServiceArea(point)

    if category.fixed_authority_id:
        authority = Authority.objects.get(pk=category.fixed_authority_id)
        return RoutingDecision(
            authority, Reason.FIXED, _("Zuständig für alle Meldungen dieser Art"), covering=covering
        )

    decision = _by_asset(category, found) or _by_road(category, found)
    return decision or _by_boundary(point, category, covering)


def _by_asset(category: RoutingCategory, found: _Found) -> RoutingDecision | None:
    """The owner of an asset of the category's type within the snap tolerance."""
    asset = found.asset
    if asset is None or asset.owner_id is None:
        return None
    authority = Authority.objects.get(pk=asset.owner_id)
    detail = _("%(type)s %(id)s, Eigentümer: %(owner)s") % {
        "type": category.get_asset_type_display(),
        "id": asset.external_id,
        "owner": authority.name,
    }
    return RoutingDecision(
        authority,
        Reason.ASSET_OWNER,
        detail,
        distance_m=asset.distance_m,
        asset=asset,
        covering=found.covering,
    )


def _by_road(category: RoutingCategory, found: _Found) -> RoutingDecision | None:
    """For road categories: the owner (Baulastträger) of the nearest road within the
    tolerance, after delegation."""
    road, covering = found.road, found.covering
    if road is None:
        return None
    owner_id: int | None = road.owner_id
    note = ""
    if owner_id is None:
        owner_id, note = road_owner_at(road.road_class, road.ortsdurchfahrt, covering)
    if owner_id is None:
        return None
    routed_id, delegation = _with_delegation(owner_id, covering)
    authority = _routed_authority(routed_id, covering)
    owner = _("%(road)s, Baulastträger: %(owner)s") % {
        "road": _road_label(road),
        "owner": authority.name,
    }
    return RoutingDecision(
        authority,
        Reason.ROAD_OWNER,
        "; ".join(part for part in (owner, note, delegation) if part),
        distance_m=road.distance_m,
        road=road,
        covering=covering,
    )


def _by_boundary(
    point: Point, category: RoutingCategory, covering: list[CoveringAuthority]
) -> RoutingDecision:
    """The authority of the category's level whose boundary covers the point."""
    picked = _pick_level(covering, category.level)
    if picked is None:
        raise OutsideServiceArea(point)
    authority_id, delegation = _with_delegation(picked.id, covering)
    authority = _routed_authority(authority_id, covering)
    detail = _("Gebiet: %(name)s (%(level)s)") % {
        "name": picked.name,
        "level": Level(picked.level).label,
    }
    if delegation:
        detail = f"{detail}; {delegation}"
    return RoutingDecision(authority, Reason.BOUNDARY, detail, covering=covering)
