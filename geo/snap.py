"""Snapping a point to the nearest road segment or asset within a metric tolerance.

All distance work happens in PostGIS on `geography`, so tolerances are true metres, and the
`geom::geography` expression indexes (migration geo 0002) serve the ST_DWithin filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Point
from django.db import connection

_NEAREST_ROAD_SQL = """
    SELECT id, road_class, ref, name, owner_id, ortsdurchfahrt,
           ST_Distance(geom::geography, pt.g) AS distance_m
    FROM geo_roadsegment, (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS g) AS pt
    WHERE ST_DWithin(geom::geography, pt.g, %s)
      AND (%s = '' OR strpos(%s, road_class) > 0)
    ORDER BY distance_m, id
    LIMIT 1
"""

_NEAREST_ASSET_SQL = """
    SELECT id, asset_type, external_id, name, owner_id,
           ST_Distance(geom::geography, pt.g) AS distance_m
    FROM geo_asset, (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS g) AS pt
    WHERE ST_DWithin(geom::geography, pt.g, %s)
      AND asset_type = %s
    ORDER BY distance_m, id
    LIMIT 1
"""


@dataclass(frozen=True)
class RoadHit:
    id: int
    road_class: str
    ref: str
    name: str
    owner_id: int | None
    ortsdurchfahrt: bool
    distance_m: float


@dataclass(frozen=True)
class AssetHit:
    id: int
    asset_type: str
    external_id: str
    name: str
    owner_id: int | None
    distance_m: float


Statement = tuple[str, list[Any]]


def nearest_road_statement(point: Point, tolerance_m: float, road_classes: str = "") -> Statement:
    """nearest_road()'s query, for a caller that sends it with others (core.dbread)."""
    return _NEAREST_ROAD_SQL, [point.x, point.y, tolerance_m, road_classes, road_classes]


def road_hit(rows: list[Any]) -> RoadHit | None:
    return RoadHit(*rows[0]) if rows else None


def nearest_road(point: Point, tolerance_m: float, road_classes: str = "") -> RoadHit | None:
    """The closest road segment within `tolerance_m` metres, optionally of the given classes
    (a string of class letters such as "BLK"); ties go to the lowest id, so answers are stable."""
    sql, params = nearest_road_statement(point, tolerance_m, road_classes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return road_hit(cursor.fetchall())


def nearest_asset_statement(point: Point, tolerance_m: float, asset_type: str) -> Statement:
    """nearest_asset()'s query, for a caller that sends it with others (core.dbread)."""
    return _NEAREST_ASSET_SQL, [point.x, point.y, tolerance_m, asset_type]


def asset_hit(rows: list[Any]) -> AssetHit | None:
    return AssetHit(*rows[0]) if rows else None


def nearest_asset(point: Point, tolerance_m: float, asset_type: str) -> AssetHit | None:
    """The closest asset of `asset_type` within `tolerance_m` metres."""
    sql, params = nearest_asset_statement(point, tolerance_m, asset_type)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return asset_hit(cursor.fetchall())
