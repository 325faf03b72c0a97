"""Vector tiles of the roads by inspection status, for the road department's own maps:
`GET /arbeit/kontrollen/kacheln/{z}/{x}/{y}.pbf` (staff only, same visibility as the pages).

Layer `inspections`: one line per road segment of the plans the user may see, with
* `id`, `class`, `ref`, `name` of the segment and `plan` (the plan's id),
* `last_inspected` (ISO date or absent), `next_due` (ISO date),
* `status`: `inspected` (next due after today), `due` (today) or `overdue` (before today) —
  the same rule as selectors.route_due, so map, route list and digest agree.

Tiles are cached (Django cache, i.e. Redis) under a key made of the base map's data version
(any write to roads), the inspection version (a token replaced when a round ends or a plan
changes, see `bump_version`), today's date (statuses move with the calendar), the plans the
user sees and the tile. Browsers get `private` caching with an ETag of the same parts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from boundaries.basemap import BUFFER, EXTENT, WORLD_METRES, data_version

LAYER = "inspections"
VERSION_KEY = "inspections:tiles:version"
TILE_CACHE_SECONDS = 24 * 3600
# Below this zoom lines are simplified to the tile's pixel size before encoding.
SIMPLIFY_BELOW_ZOOM = 14

TILE_SQL = """
    WITH env AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS box),
    area AS (SELECT box, ST_Transform(ST_Expand(box, %(margin)s), 4326) AS box4326 FROM env),
    segments AS (
        SELECT s.id, s.road_class AS class, s.ref, s.name, p.id AS plan, s.geom,
               (SELECT max(i.inspected_at) FROM inspections_segmentinspection i
                WHERE i.segment_id = s.id) AS last_at,
               p.interval_days, p.starts_on
        FROM inspections_inspectionplan p
        JOIN geo_roadsegment s ON s.owner_id = p.authority_id AND s.road_class = p.road_class
        CROSS JOIN area
        WHERE p.id = ANY(%(plans)s) AND s.geom && area.box4326
    ),
    dated AS (
        SELECT *, (last_at AT TIME ZONE %(tz)s)::date AS last_day,
               coalesce((last_at AT TIME ZONE %(tz)s)::date + interval_days, starts_on) AS due_day
        FROM segments
    ),
    features AS (
        SELECT d.id, d.class, d.ref, d.name, d.plan,
               to_char(d.last_day, 'YYYY-MM-DD') AS last_inspected,
               to_char(d.due_day, 'YYYY-MM-DD') AS next_due,
               CASE WHEN d.due_day < %(today)s THEN 'overdue'
                    WHEN d.due_day = %(today)s THEN 'due'
                    ELSE 'inspected' END AS status,
               ST_AsMVTGeom(ST_Simplify(ST_Transform(d.geom, 3857), %(tolerance)s),
                            area.box, %(extent)s, %(buffer)s, true) AS geom
        FROM dated d CROSS JOIN area
    )
    SELECT ST_AsMVT(features, 'inspections', %(extent)s, 'geom') FROM features
    WHERE geom IS NOT NULL
"""


def tile_query(z: int, x: int, y: int, plans: list[int], today: date) -> tuple[str, dict[str, Any]]:
    pixel_metres = WORLD_METRES / 2**z / EXTENT
    return TILE_SQL, {
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "buffer": BUFFER,
        "margin": pixel_metres * BUFFER,
        "tolerance": pixel_metres if z < SIMPLIFY_BELOW_ZOOM else 0.0,
        "plans": plans,
        "today": today,
        "tz": timezone.get_current_timezone_name(),
    }


def render_tile(z: int, x: int, y: int, plans: list[int], today: date) -> bytes:
    """The tile straight from PostGIS (no cache); empty bytes for no visible plan."""
    if not plans:
        return b""
    sql, params = tile_query(z, x, y, plans, today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def inspection_version() -> str:
    """The token that changes when a round ends or a plan changes (new token if evicted, so a
    lost token never serves a stale tile)."""
    return str(cache.get_or_set(VERSION_KEY, uuid.uuid4().hex, None))


def bump_version() -> None:
    """Invalidate every cached inspection tile once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def version_changed(sender: object, **kwargs: object) -> None:
    """Signal receiver: a plan was saved or deleted, an inspection deleted."""
    bump_version()


def tile_tag(plans: Iterable[int], today: date) -> str:
    """The cache/ETag token of the tiles a user sees today."""
    scope = ",".join(str(p) for p in sorted(plans))
    parts = f"{data_version()}|{inspection_version()}|{today.isoformat()}|{scope}"
    return hashlib.sha256(parts.encode()).hexdigest()[:32]


def cached_tile(z: int, x: int, y: int, plans: list[int], today: date, tag: str) -> bytes:
    key = f"inspections:tile:{tag}:{z}/{x}/{y}"
    tile = cache.get(key)
    if tile is None:
        tile = render_tile(z, x, y, plans, today)
        cache.set(key, tile, TILE_CACHE_SECONDS)
    return bytes(tile)
