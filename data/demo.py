"""The demo region "Landkreis Heideland (Demo)", generated in code (contents: `demo_spec`).

The project cannot ship real boundaries or road data, so `make run` builds a fictional Kreis
on real ground in the Lüneburger Heide (about 9.92-10.29 E, 53.17-53.38 N), where the OSM
base map looks plausible. Every name carries "(Demo)" and every official code uses the Land
code 99, which no real Land has, so nothing here can clash with imported AGS/ARS.

How it is built:
* Geometry is designed in ETRS89 / UTM 32N metres relative to one origin and converted to
  WGS84 for storage. The Gemeinden are cells of a 3 x 3 grid whose shared edges are computed
  once and reused by both neighbours, so they tile the Kreis exactly; Kreis, Samtgemeinde and
  multi-cell Gemeinden are unions of cells.
* All irregularity comes from a hash of a name (`_noise`), not from random state, so every run
  produces identical coordinates and a re-run finds nothing to change.
* Rows are matched by natural keys (Authority.slug or (level, ags), BoundarySet.name,
  RoadSegment.external_id, Asset (asset_type, external_id), Category.slug, Team (authority,
  name)) and written only when they differ, in bulk. A re-run is a few dozen SELECTs.
* Boundaries go through `boundaries.sets.store_boundary`; a demo set is activated with
  `activate_set` only while no other set of its level is active, so the demo never pushes a
  real import aside.
* Road owners come from `boundaries.services.road_owner_at` at each segment's midpoint, so the
  stored owner follows the same rules as `route()`.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import TypeVar

from django.contrib.gis.geos import GEOSGeometry, LineString, MultiPolygon, Point, Polygon
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from pyproj import Transformer

from boundaries.models import Authority, Boundary, BoundarySet, Level, RoadAuthority
from boundaries.services import authorities_at, road_owner_at, route_many
from boundaries.sets import activate_set, store_boundary
from geo.models import Asset, AssetType, RoadClass, RoadSegment
from geo.srid import ETRS89_UTM32N, WGS84
from tracker.models import Category, Team
from tracker.open311.models import ServiceAttribute

from .demo_spec import (
    AUTHORITIES,
    BOUNDARY_SETS,
    CATEGORIES,
    CELL_HEIGHT_M,
    CELL_WIDTH_M,
    DEMO_SOURCE,
    EDGE_PIECES,
    GRID_COLUMNS,
    GRID_ROWS,
    INNER_EDGE_WAVE,
    INNER_VERTEX_JITTER_M,
    LAND,
    OPEN311_ATTRIBUTES,
    ORIGIN_E,
    ORIGIN_N,
    OUTER_EDGE_WAVE,
    OUTER_VERTEX_JITTER_M,
    REGION_NAME,
    ROAD_AUTHORITY_CLASSES,
    ROAD_OPERATOR,
    ROADS,
    SIGN_KINDS,
    SIGN_OFFSET_M,
    SIGN_SPACING_M,
    STREETLIGHT_OFFSET_M,
    STREETLIGHT_SPACING_M,
    TEAMS,
    TOWNS,
    AuthoritySpec,
    CategorySpec,
    Cell,
    Coord,
)

# Serialises concurrent runs (two `make run` at once) without a table of our own.
_ADVISORY_LOCK_KEY = 0x4D4D_4445_4D4F  # "MMDEMO"


# --------------------------------------------------------------------------- geometry


def _noise(*key: object) -> float:
    """A stable pseudo-random number in [-1, 1) derived from `key`: the same on every run and
    independent of call order, so changing one edge never moves another."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**63 - 1.0


@cache
def _to_wgs84() -> Transformer:
    # always_xy: lon, lat order, as GEOS and GeoJSON expect.
    return Transformer.from_crs(ETRS89_UTM32N, WGS84, always_xy=True)


def _lonlat(coords: Sequence[Coord]) -> list[Coord]:
    """Grid metres → WGS84 (lon, lat)."""
    xs, ys = zip(*((ORIGIN_E + x, ORIGIN_N + y) for x, y in coords), strict=True)
    lons, lats = _to_wgs84().transform(xs, ys)
    return [(float(lon), float(lat)) for lon, lat in zip(lons, lats, strict=True)]


def _grid_vertex(i: int, j: int) -> Coord:
    outer = i in (0, GRID_COLUMNS) or j in (0, GRID_ROWS)
    jitter = OUTER_VERTEX_JITTER_M if outer else INNER_VERTEX_JITTER_M
    return (
        i * CELL_WIDTH_M + jitter * _noise("vertex-x", i, j),
        j * CELL_HEIGHT_M + jitter * _noise("vertex-y", i, j),
    )


def _edge(a: tuple[int, int], b: tuple[int, int]) -> list[Coord]:
    """The wavy boundary line from grid vertex `a` to `b`, endpoints included. Computed in a
    canonical direction and reversed on demand, so both neighbouring cells get the very same
    coordinates and share the edge exactly."""
    start, end = sorted((a, b))
    (x0, y0), (x1, y1) = _grid_vertex(*start), _grid_vertex(*end)
    length = math.hypot(x1 - x0, y1 - y0)
    normal = (-(y1 - y0) / length, (x1 - x0) / length)
    outer = (start[0] == end[0] and start[0] in (0, GRID_COLUMNS)) or (
        start[1] == end[1] and start[1] in (0, GRID_ROWS)
    )
    amplitude = (OUTER_EDGE_WAVE if outer else INNER_EDGE_WAVE) * length
    points = [(x0, y0)]
    for k in range(1, EDGE_PIECES):
        t = k / EDGE_PIECES
        # sin(pi t) tapers the wave to zero at the corners, so edges never cross there.
        offset = amplitude * math.sin(math.pi * t) * _noise("edge", start, end, k)
        points.append(
            (x0 + t * (x1 - x0) + offset * normal[0], y0 + t * (y1 - y0) + offset * normal[1])
        )
    points.append((x1, y1))
    return points if (a, b) == (start, end) else points[::-1]


def _cell_polygon(cell: Cell) -> Polygon:
    col, row = cell
    corners = [(col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1), (col, row)]
    ring: list[Coord] = []
    for a, b in itertools.pairwise(corners):
        ring.extend(_edge(a, b)[:-1])
    ring.append(ring[0])
    return Polygon(_lonlat(ring), srid=WGS84)


def _union(cells: Iterable[Cell]) -> MultiPolygon:
    """Union of grid cells as a WGS84 MultiPolygon. Shared edges have identical coordinates,
    so the union leaves neither slivers nor gaps."""
    polygons = [_cell_polygon(cell) for cell in cells]
    merged = MultiPolygon(polygons, srid=WGS84).unary_union
    if isinstance(merged, Polygon):
        return MultiPolygon(merged, srid=WGS84)
    if isinstance(merged, MultiPolygon):
        merged.srid = WGS84
        return merged
    raise TypeError(f"a union of grid cells gave a {merged.geom_type}")


def demo_territories() -> dict[str, MultiPolygon]:
    """Territory of every territorial demo authority, by slug (WGS84)."""
    return {spec.slug: _union(spec.cells) for spec in AUTHORITIES if spec.cells}


def _length(coords: Sequence[Coord]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(coords))


def _along(coords: Sequence[Coord], distance: float, offset: float = 0.0) -> Coord:
    """The point `distance` metres along a polyline, moved `offset` metres to its right."""
    for a, b in itertools.pairwise(coords):
        piece = math.dist(a, b)
        if distance <= piece or b == coords[-1]:
            t = min(distance / piece, 1.0)
            dx, dy = (b[0] - a[0]) / piece, (b[1] - a[1]) / piece
            return (a[0] + t * (b[0] - a[0]) + offset * dy, a[1] + t * (b[1] - a[1]) - offset * dx)
        distance -= piece
    return coords[-1]


def _stations(length: float, first: float, spacing: float, margin: float) -> list[float]:
    """Distances along a line: `first`, then every `spacing`, stopping `margin` before its end."""
    count = max(0, math.floor((length - margin - first) / spacing) + 1)
    return [first + k * spacing for k in range(count)]


@dataclass(frozen=True)
class RoadPlan:
    """A road segment to store, in grid metres; owner resolved later in the database."""

    external_id: str
    road_class: str
    ref: str
    name: str
    ortsdurchfahrt: bool
    coords: tuple[Coord, ...]

    def geom(self) -> LineString:
        return LineString(_lonlat(self.coords), srid=WGS84)

    def midpoint(self) -> Point:
        (lon, lat) = _lonlat([_along(self.coords, _length(self.coords) / 2)])[0]
        return Point(lon, lat, srid=WGS84)


@dataclass(frozen=True)
class AssetPlan:
    asset_type: str
    external_id: str
    name: str
    at: Coord
    owner: str  # "gemeinde" (covering Gemeinde after delegation) or a road's external id

    def geom(self) -> Point:
        (lon, lat) = _lonlat([self.at])[0]
        return Point(lon, lat, srid=WGS84)


def demo_roads() -> list[RoadPlan]:
    """Through roads and every town's Gemeindestraßen."""
    plans = [
        RoadPlan(
            spec.external_id, spec.road_class, spec.ref, spec.name, spec.ortsdurchfahrt, spec.points
        )
        for spec in ROADS
    ]
    for town in TOWNS:
        cx, cy = town.centre
        for number, street in enumerate(town.streets, start=1):
            plans.append(
                RoadPlan(
                    f"DEMO-{town.code}-{number:02d}",
                    RoadClass.GEMEINDESTRASSE,
                    "",
                    street.name,
                    False,
                    tuple((cx + dx, cy + dy) for dx, dy in street.points),
                )
            )
    return plans


def demo_assets() -> list[AssetPlan]:
    """Streetlights, benches, bins and a playground per town; signs along the rural Kreisstraßen."""
    plans: list[AssetPlan] = []
    for town in TOWNS:
        cx, cy = town.centre
        light = 0
        for street in town.streets:
            if not street.lit:
                continue
            coords = [(cx + dx, cy + dy) for dx, dy in street.points]
            for station in _stations(_length(coords), 20.0, STREETLIGHT_SPACING_M, 10.0):
                light += 1
                plans.append(
                    AssetPlan(
                        AssetType.STREETLIGHT,
                        f"{town.code}-L-{light:04d}",
                        f"Leuchte {street.name} {light}",
                        _along(coords, station, STREETLIGHT_OFFSET_M),
                        "gemeinde",
                    )
                )
        playground_name, (px, py) = town.playground
        plans.append(
            AssetPlan(
                AssetType.PLAYGROUND,
                f"{town.code}-S-0001",
                playground_name,
                (cx + px, cy + py),
                "gemeinde",
            )
        )
        for number, (bx, by) in enumerate(town.benches, start=1):
            plans.append(
                AssetPlan(
                    AssetType.BENCH,
                    f"{town.code}-B-{number:04d}",
                    f"Sitzbank {town.label} {number}",
                    (cx + bx, cy + by),
                    "gemeinde",
                )
            )
            # A bin beside every bench (M for Mülleimer: B is taken by the benches).
            plans.append(
                AssetPlan(
                    AssetType.BIN,
                    f"{town.code}-M-{number:04d}",
                    f"Abfallbehälter {town.label} {number}",
                    (cx + bx + 2.5, cy + by),
                    "gemeinde",
                )
            )
        plans.append(
            AssetPlan(
                AssetType.BIN,
                f"{town.code}-M-{len(town.benches) + 1:04d}",
                f"Abfallbehälter {playground_name}",
                (cx + px + 15.0, cy + py - 10.0),
                "gemeinde",
            )
        )
    sign = 0
    for spec in ROADS:
        if spec.road_class != RoadClass.KREISSTRASSE or spec.ortsdurchfahrt:
            continue
        for station in _stations(_length(spec.points), 200.0, SIGN_SPACING_M, 100.0):
            sign += 1
            kind = SIGN_KINDS[sign % len(SIGN_KINDS)]
            plans.append(
                AssetPlan(
                    AssetType.SIGN,
                    f"HL-VZ-{sign:04d}",
                    f"{spec.ref}: {kind}",
                    _along(spec.points, station, SIGN_OFFSET_M),
                    spec.external_id,
                )
            )
    return plans


# --------------------------------------------------------------------------- writing


@dataclass
class Tally:
    """Rows of one kind: created, updated, left alone, removed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def describe(self, *, committed: bool) -> str:
        if committed:
            text = f"{self.created} created, {self.updated} updated"
            removed = f", {self.deleted} removed"
        else:
            text = f"would create {self.created}, update {self.updated}"
            removed = f", remove {self.deleted}"
        return f"{text}{removed if self.deleted else ''}; {self.unchanged} unchanged"


class SetState(StrEnum):
    ACTIVE = "active"
    ACTIVATED = "activated"
    SHADOWED = "shadowed"  # stored, but another set of the level is active and stays so


@dataclass
class DemoSummary:
    """What a run changed, or for a dry run (`committed` False) would have changed."""

    committed: bool = False
    tallies: dict[str, Tally] = field(default_factory=dict)
    # Demo set name → its state, and the active set that shadows it, if any.
    set_states: dict[str, tuple[SetState, str]] = field(default_factory=dict)
    boundaries_repaired: int = 0
    categories_kept: list[str] = field(default_factory=list)  # differ from demo, not overwritten
    contents: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def tally(self, label: str) -> Tally:
        return self.tallies.setdefault(label, Tally())

    @property
    def is_live(self) -> bool:
        """The demo's Kreis and Gemeinde boundaries are the active ones (the tiers that own its
        roads and assets)."""
        return all(
            self.set_states.get(BOUNDARY_SETS[level], (SetState.SHADOWED, ""))[0]
            != SetState.SHADOWED
            for level in (Level.KREIS, Level.GEMEINDE)
        )

    @property
    def changed(self) -> bool:
        activated = any(state == SetState.ACTIVATED for state, _ in self.set_states.values())
        return activated or any(t.changed for t in self.tallies.values())

    def lines(self) -> list[str]:
        """A human-readable report, one line per entry."""
        if self.committed:
            head = "written" if self.changed else "up to date, nothing written"
        else:
            head = "DRY RUN, nothing written (add --commit to write)"
        out = [f"Demo region {REGION_NAME}: {head}"]
        out.extend(
            f"  {label:<16} {tally.describe(committed=self.committed)}"
            for label, tally in self.tallies.items()
        )
        for name, (state, other) in self.set_states.items():
            if state == SetState.SHADOWED:
                text = f"not activated: {other!r} is active for this level and stays active"
            elif state == SetState.ACTIVATED and not self.committed:
                text = "would be activated"
            else:
                text = state.value
            out.append(f"  set {name:<18} {text}")
        if self.set_states and not self.is_live:
            out.append(
                "  demo roads and assets are withdrawn while other Kreis/Gemeinde boundaries "
                "are active, so fictional roads cannot catch reports on real ground"
            )
        if self.boundaries_repaired:
            out.append(f"  {self.boundaries_repaired} boundaries were repaired by ST_MakeValid")
        if self.categories_kept:
            out.append(
                "  categories that differ from the demo were left as configured "
                f"(--overwrite-categories resets them): {', '.join(self.categories_kept)}"
            )
        for label, counts in self.contents.items():
            detail = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
            out.append(f"  demo {label}: {sum(counts.values())} ({detail})")
        out.append(f"  took {self.seconds:.2f} s")
        return out


_M = TypeVar("_M", bound=models.Model)
_K = TypeVar("_K", bound=Hashable)


def _same(current: object, wanted: object) -> bool:
    if isinstance(current, GEOSGeometry) and isinstance(wanted, GEOSGeometry):
        # 1e-9° is a tenth of a millimetre: survives a float round trip through PostGIS.
        return current.srid == wanted.srid and current.equals_exact(wanted, 1e-9)
    return current == wanted


def _sync(
    queryset: QuerySet[_M],
    key_of: Callable[[_M], _K],
    wanted: Mapping[_K, Mapping[str, object]],
    tally: Tally,
) -> dict[_K, _M]:
    """Create missing rows and update differing ones, in bulk. `queryset` selects the existing
    candidates, `key_of` maps a row to its natural key, `wanted` holds the field values (by
    attname, e.g. "owner_id") per key. Rows that already match are not written at all."""
    model = queryset.model
    by_key: dict[_K, _M] = {}
    for candidate in queryset:
        by_key.setdefault(key_of(candidate), candidate)
    to_create: list[_M] = []
    to_update: list[_M] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        existing = by_key.get(key)
        if existing is None:
            new = model(**values)
            to_create.append(new)
            by_key[key] = new
            continue
        diff = [name for name, value in values.items() if not _same(getattr(existing, name), value)]
        if not diff:
            tally.unchanged += 1
            continue
        for name in diff:
            setattr(existing, name, values[name])
        to_update.append(existing)
        changed_fields.update(diff)
    if to_create:
        model._default_manager.bulk_create(to_create)
        tally.created += len(to_create)
    if to_update:
        names = sorted({model._meta.get_field(attname).name for attname in changed_fields})
        model._default_manager.bulk_update(to_update, names)
        tally.updated += len(to_update)
    return {key: by_key[key] for key in wanted}


def _sync_authorities(summary: DemoSummary) -> dict[str, Authority]:
    """Upsert the demo authorities, parents before children (parent and delegate are FKs)."""
    specs = {spec.slug: spec for spec in AUTHORITIES}
    by_ags = {(spec.level, spec.ags): spec.slug for spec in AUTHORITIES if spec.ags}
    candidates = Authority.objects.filter(
        Q(slug__in=specs)
        | Q(ags__in=[ags for _, ags in by_ags], level__in=[lvl for lvl, _ in by_ags])
    )

    def key_of(row: Authority) -> str:
        # A real import may already hold the code under another slug: adopt that row.
        return row.slug if row.slug in specs else by_ags.get((row.level, row.ags), row.slug)

    def depth(spec: AuthoritySpec) -> int:
        return 0 if spec.parent is None else 1 + depth(specs[spec.parent])

    done: dict[str, Authority] = {}
    tally = summary.tally("authorities")
    for level_depth in sorted({depth(spec) for spec in AUTHORITIES}):
        wanted = {
            spec.slug: {
                "slug": spec.slug,
                "name": spec.name,
                "level": spec.level,
                "ags": spec.ags,
                "ars": spec.ars,
                "parent_id": done[spec.parent].pk if spec.parent else None,
                "delegates_to_id": done[spec.delegates_to].pk if spec.delegates_to else None,
                "handles_ortsdurchfahrten": spec.handles_ortsdurchfahrten,
                "email": spec.email,
                "website": spec.website,
                "colour": spec.colour,
                "is_active": True,
            }
            for spec in AUTHORITIES
            if depth(spec) == level_depth
        }
        # Candidates are re-read per depth: cheap (ten rows) and sees rows created just before.
        done.update(_sync(candidates.all(), key_of, wanted, tally))
    summary.contents["authorities"] = Counter(spec.level for spec in AUTHORITIES)
    return done


def _sync_road_authorities(authorities: Mapping[str, Authority], summary: DemoSummary) -> None:
    land, operator = authorities[LAND], authorities[ROAD_OPERATOR]
    wanted = {
        road_class.value: {
            "road_class": road_class.value,
            "territory_id": land.pk,
            "authority_id": operator.pk,
        }
        for road_class in ROAD_AUTHORITY_CLASSES
    }
    _sync(
        RoadAuthority.objects.filter(territory=land),
        lambda rule: rule.road_class,
        wanted,
        summary.tally("road authorities"),
    )


def _sync_boundaries(authorities: Mapping[str, Authority], summary: DemoSummary) -> None:
    """Store each territory in its level's demo set (only where it differs), then activate the
    demo sets whose level has no active set yet. A level that already has an active set (say, a
    real import) keeps it: the demo boundaries are stored but stay inactive."""
    sets = _sync(
        BoundarySet.objects.filter(name__in=BOUNDARY_SETS.values()),
        lambda boundary_set: boundary_set.name,
        {
            name: {"name": name, "level": level, "source": DEMO_SOURCE}
            for level, name in BOUNDARY_SETS.items()
        },
        summary.tally("boundary sets"),
    )
    stored = {
        (boundary.boundary_set_id, boundary.authority_id): boundary.geom
        for boundary in Boundary.objects.filter(boundary_set__in=sets.values())
    }
    tally = summary.tally("boundaries")
    for slug, geom in demo_territories().items():
        authority = authorities[slug]
        boundary_set = sets[BOUNDARY_SETS[authority.level]]
        current = stored.get((boundary_set.pk, authority.pk))
        if current is not None and _same(current, geom):
            tally.unchanged += 1
            continue
        _, repaired = store_boundary(boundary_set, authority, geom)
        summary.boundaries_repaired += int(repaired)
        if current is None:
            tally.created += 1
        else:
            tally.updated += 1

    active_elsewhere = dict(
        BoundarySet.objects.filter(level__in=BOUNDARY_SETS, is_active=True).values_list(
            "level", "name"
        )
    )
    for level, name in BOUNDARY_SETS.items():
        boundary_set = sets[name]
        if boundary_set.is_active:
            summary.set_states[name] = (SetState.ACTIVE, "")
        elif level in active_elsewhere:
            summary.set_states[name] = (SetState.SHADOWED, active_elsewhere[level])
        else:
            activate_set(boundary_set)
            summary.set_states[name] = (SetState.ACTIVATED, "")


def _sync_roads(summary: DemoSummary, *, live: bool) -> dict[str, RoadSegment]:
    """Upsert the road network; each owner is the Straßenbaulastträger at the midpoint,
    decided by the same rule (`road_owner_at`) that routing uses for unowned roads. When the
    demo is not `live`, its roads are removed instead (see `build_demo_region`)."""
    plans = demo_roads() if live else []
    wanted: dict[str, dict[str, object]] = {}
    for plan in plans:
        owner_id, _ = road_owner_at(
            plan.road_class, plan.ortsdurchfahrt, authorities_at(plan.midpoint())
        )
        wanted[plan.external_id] = {
            "external_id": plan.external_id,
            "geom": plan.geom(),
            "road_class": plan.road_class,
            "ref": plan.ref,
            "name": plan.name,
            "owner_id": owner_id,
            "ortsdurchfahrt": plan.ortsdurchfahrt,
            "source": DEMO_SOURCE,
        }
    tally = summary.tally("road segments")
    roads = _sync(
        RoadSegment.objects.filter(external_id__in=wanted),
        lambda road: road.external_id or "",
        wanted,
        tally,
    )
    # Segments an earlier version of the generator made, or all of them when withdrawn. A
    # report that pointed at one keeps its stored decision; only its road link becomes empty.
    stale = RoadSegment.objects.filter(source=DEMO_SOURCE).exclude(external_id__in=wanted)
    tally.deleted += stale.delete()[1].get(RoadSegment._meta.label, 0)
    if plans:
        summary.contents["road segments"] = Counter(plan.road_class for plan in plans)
    return roads


def _sync_assets(roads: Mapping[str, RoadSegment], summary: DemoSummary, *, live: bool) -> None:
    """Upsert the assets. Town assets belong to the covering Gemeinde after delegation, i.e.
    the Samtgemeinde for its members: `route()` sends asset reports straight to the owner
    without applying delegation, and the Samtgemeinde's Bauhof does that work. Signs belong to
    the owner of the road they stand on (the Kreis on rural Kreisstraßen). When the demo is not
    `live`, its assets are removed instead."""
    plans = demo_assets() if live else []
    geoms = [plan.geom() for plan in plans]
    town_owner_ids = route_many([g.x for g in geoms], [g.y for g in geoms], Level.GEMEINDE)
    wanted: dict[tuple[str, str], dict[str, object]] = {}
    for plan, geom, town_owner_id in zip(plans, geoms, town_owner_ids, strict=True):
        owner_id = town_owner_id if plan.owner == "gemeinde" else roads[plan.owner].owner_id
        wanted[(plan.asset_type, plan.external_id)] = {
            "asset_type": plan.asset_type,
            "external_id": plan.external_id,
            "geom": geom,
            "name": plan.name,
            "owner_id": owner_id,
            "source": DEMO_SOURCE,
        }
    tally = summary.tally("assets")
    _sync(
        Asset.objects.filter(external_id__in=[external_id for _, external_id in wanted]),
        lambda asset: (asset.asset_type, asset.external_id),
        wanted,
        tally,
    )
    stale_ids = [
        pk
        for pk, asset_type, external_id in Asset.objects.filter(source=DEMO_SOURCE).values_list(
            "pk", "asset_type", "external_id"
        )
        if (asset_type, external_id) not in wanted
    ]
    if stale_ids:
        tally.deleted += (
            Asset.objects.filter(pk__in=stale_ids).delete()[1].get(Asset._meta.label, 0)
        )
    if plans:
        summary.contents["assets"] = Counter(plan.asset_type for plan in plans)


def _category_values(spec: CategorySpec) -> dict[str, object]:
    return {
        "slug": spec.slug,
        "name": spec.name,
        "name_en": spec.name_en,
        "description": spec.description,
        "level": spec.level,
        "snap_to_roads": spec.snap_to_roads,
        "road_classes": spec.road_classes,
        "asset_type": spec.asset_type,
        "snap_tolerance_m": spec.snap_tolerance_m,
        "duplicate_radius_m": spec.duplicate_radius_m,
        "sort_order": spec.sort_order,
        "is_active": True,
    }


def _sync_categories(summary: DemoSummary, *, overwrite: bool) -> dict[str, Category]:
    """Create the demo categories. Categories are the portal's shared catalogue, which
    administrators tune (tolerances, texts) also on a real deployment, where `make run` still
    runs this loader; so an existing category is left as it is unless `overwrite`."""
    wanted = {spec.slug: _category_values(spec) for spec in CATEGORIES}
    existing = {category.slug: category for category in Category.objects.filter(slug__in=wanted)}
    if not overwrite:
        summary.categories_kept = sorted(
            slug
            for slug, category in existing.items()
            if any(not _same(getattr(category, k), v) for k, v in wanted[slug].items())
        )
        wanted = {slug: values for slug, values in wanted.items() if slug not in existing}
        summary.tally("categories").unchanged += len(existing)
    categories = _sync(
        Category.objects.filter(slug__in=wanted),
        lambda category: category.slug,
        wanted,
        summary.tally("categories"),
    )
    summary.contents["categories"] = Counter(spec.level for spec in CATEGORIES)
    return {**existing, **categories}


def _sync_teams(
    authorities: Mapping[str, Authority], categories: Mapping[str, Category], summary: DemoSummary
) -> None:
    """Upsert the teams of the demo authorities and set exactly their demo categories."""
    wanted = {
        (authorities[spec.authority].pk, spec.name): {
            "authority_id": authorities[spec.authority].pk,
            "name": spec.name,
            "email": spec.email,
        }
        for spec in TEAMS
    }
    tally = summary.tally("teams")
    teams = _sync(
        Team.objects.filter(authority__in=[a.pk for a in authorities.values()]).prefetch_related(
            "categories"
        ),
        lambda team: (team.authority_id, team.name),
        wanted,
        tally,
    )
    links = summary.tally("team categories")
    for spec in TEAMS:
        team = teams[(authorities[spec.authority].pk, spec.name)]
        wanted_ids = {categories[slug].pk for slug in spec.categories}
        # Prefetched for existing teams; a new team has none and costs one cheap query.
        current_ids = {category.pk for category in team.categories.all()}
        if current_ids == wanted_ids:
            links.unchanged += len(wanted_ids)
            continue
        team.categories.add(*(wanted_ids - current_ids))
        team.categories.remove(*(current_ids - wanted_ids))
        links.created += len(wanted_ids - current_ids)
        links.deleted += len(current_ids - wanted_ids)
        links.unchanged += len(wanted_ids & current_ids)
    summary.contents["teams"] = Counter(authorities[spec.authority].level for spec in TEAMS)


def _sync_open311_attributes(categories: Mapping[str, Category], summary: DemoSummary) -> None:
    """Give a few demo categories Open311 attributes. Like categories, attributes are the
    operator's to tune: only missing ones are created, existing ones are left as they are."""
    tally = summary.tally("open311 attrs")
    rows = ServiceAttribute.objects.filter(category__in=[c.pk for c in categories.values()])
    existing = set(rows.values_list("category_id", "code"))
    # an operator's own attribute may hold the demo's position: leave theirs alone
    taken = set(rows.values_list("category_id", "order"))
    missing = []
    for spec in OPEN311_ATTRIBUTES:
        category = categories[spec.category]
        if (category.pk, spec.code) in existing or (category.pk, spec.order) in taken:
            tally.unchanged += 1
            continue
        missing.append(
            ServiceAttribute(
                category=category,
                code=spec.code,
                datatype=spec.datatype,
                description=spec.description,
                order=spec.order,
                required=spec.required,
                datatype_description=spec.datatype_description,
                values=[{"key": key, "name": name} for key, name in spec.values],
            )
        )
    ServiceAttribute.objects.bulk_create(missing)
    tally.created += len(missing)


def build_demo_region(*, overwrite_categories: bool = False) -> DemoSummary:
    """Create or update the whole demo region in the current transaction."""
    summary = DemoSummary()
    authorities = _sync_authorities(summary)
    _sync_road_authorities(authorities, summary)
    # Boundaries (and their activation) first: road and asset owners are looked up in them.
    _sync_boundaries(authorities, summary)
    # The demo lies on real ground. Once someone's real Kreis or Gemeinde boundaries are active
    # instead of the demo's, fictional roads and streetlights there would catch real reports
    # (snapping comes before boundaries in route()), so they exist only while the demo is live.
    live = summary.is_live
    roads = _sync_roads(summary, live=live)
    _sync_assets(roads, summary, live=live)
    categories = _sync_categories(summary, overwrite=overwrite_categories)
    _sync_teams(authorities, categories, summary)
    _sync_open311_attributes(categories, summary)
    return summary


def load_demo(*, commit: bool, overwrite_categories: bool = False) -> DemoSummary:
    """Build the demo region in one transaction; without `commit`, roll it back afterwards, so
    the summary tells exactly what a real run would change and nothing is written."""
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        summary = build_demo_region(overwrite_categories=overwrite_categories)
        if not commit:
            transaction.set_rollback(True)
    summary.committed = commit
    summary.seconds = time.perf_counter() - started
    return summary
