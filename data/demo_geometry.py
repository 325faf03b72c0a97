"""The demo region's geometry and plans (see data/demo.py for how they are written): the Kreis
as a grid of Gemeinde cells with shared, noisy edges, its roads and its assets, all designed in
ETRS89 / UTM 32N metres and converted to WGS84. Deterministic: noise comes from name hashes."""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from pyproj import Transformer

from geo.models import AssetType, RoadClass
from geo.srid import ETRS89_UTM32N, WGS84

from .demo_spec import (
    ADDRESS_STREETS,
    AUTHORITIES,
    CELL_HEIGHT_M,
    CELL_WIDTH_M,
    EDGE_PIECES,
    GRID_COLUMNS,
    GRID_ROWS,
    HOUSE_OFFSET_M,
    HOUSE_SPACING_M,
    INNER_EDGE_WAVE,
    INNER_VERTEX_JITTER_M,
    ORIGIN_E,
    ORIGIN_N,
    OUTER_EDGE_WAVE,
    OUTER_VERTEX_JITTER_M,
    ROADS,
    SIGN_KINDS,
    SIGN_OFFSET_M,
    SIGN_SPACING_M,
    STREETLIGHT_OFFSET_M,
    STREETLIGHT_SPACING_M,
    TOWNS,
    Cell,
    Coord,
)


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


def _town_assets(town: Any) -> list[AssetPlan]:
    """Streetlights along the lit streets, a playground, benches with a bin beside each."""
    cx, cy = town.centre
    plans: list[AssetPlan] = []
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
    return plans


def _road_signs() -> list[AssetPlan]:
    """Traffic signs along the rural Kreisstraßen."""
    plans: list[AssetPlan] = []
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


def demo_assets() -> list[AssetPlan]:
    """Streetlights, benches, bins and a playground per town; signs along the rural Kreisstraßen."""
    return [plan for town in TOWNS for plan in _town_assets(town)] + _road_signs()


@dataclass(frozen=True)
class AddressPlan:
    street: str
    house_number: str
    postcode: str
    town: str
    at: Coord

    def geom(self) -> Point:
        (lon, lat) = _lonlat([self.at])[0]
        return Point(lon, lat, srid=WGS84)


def demo_addresses() -> list[AddressPlan]:
    """House numbers along the streets of ADDRESS_STREETS: 1, 3, 5 … on the right, 2, 4 … on
    the left, a house every HOUSE_SPACING_M on each side."""
    towns = {town.code: town for town in TOWNS}
    plans: list[AddressPlan] = []
    for code, name, postcode, highest in ADDRESS_STREETS:
        town = towns[code]
        street = next(s for s in town.streets if s.name == name)
        cx, cy = town.centre
        coords = [(cx + dx, cy + dy) for dx, dy in street.points]
        for number in range(1, highest + 1):
            side = HOUSE_OFFSET_M if number % 2 else -HOUSE_OFFSET_M
            station = 15.0 + (number - 1) // 2 * HOUSE_SPACING_M
            plans.append(
                AddressPlan(name, str(number), postcode, town.label, _along(coords, station, side))
            )
    return plans
