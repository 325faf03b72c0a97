"""The base map from our own data as Mapbox vector tiles (served at `/tiles/base/{z}/{x}/{y}.pbf`).

It combines the boundaries (this app) with the road network and assets (geo), so it lives here,
above both. One SQL statement builds a tile of four layers:

* `boundaries` — the outlines (lines) of the active boundary sets: `level`, `name`;
* `places` — one point per active territory at its point on surface: `name`, `level`
  (Kreise from zoom 0, Gemeinden from PLACES_MIN_ZOOM);
* `roads` — the imported road segments: `class` (A/B/L/K/G/O), `ref`, `name`; minor classes
  only from the zoom in ROAD_CLASSES_BY_ZOOM, simplified to the tile's pixel size;
* `assets` — point assets from ASSETS_MIN_ZOOM: `type`, `external_id`, `name`.

Tiles are cached (Django cache, i.e. Redis) under a key per data version and tile; the
version changes in the same transaction as any write to roads, assets, boundaries or
authorities (database triggers, migration 0002), so a cached tile is never stale. The raw
query is `tile_query()`; the benchmark runs it beside the view.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from core.replica import read_connection

EXTENT = 4096
BUFFER = 64
MAX_ZOOM = 22
# Web Mercator: the world is 2 * 20037508.34 m wide.
WORLD_METRES = 2 * 20037508.342789244
PLACES_MIN_ZOOM = 8
ASSETS_MIN_ZOOM = 15
# (from zoom, road classes shown): the network gets denser as one zooms in.
ROAD_CLASSES_BY_ZOOM = (
    (0, ["A", "B"]),
    (8, ["A", "B", "L", "K"]),
    (11, ["A", "B", "L", "K", "G"]),
    (13, ["A", "B", "L", "K", "G", "O"]),
)
# Below this zoom lines are simplified to the tile's pixel size before encoding.
SIMPLIFY_BELOW_ZOOM = 14

# Part of the data version: change it when TILE_SQL changes what a tile holds.
TILE_FORMAT = "b1"
VERSION_SQL = "SELECT token, n FROM boundaries_basemapversion WHERE id = 1"
TILE_CACHE_SECONDS = 7 * 24 * 3600

# The tile's box in 3857 (for ST_AsMVTGeom) and, with the buffer, in 4326 for the GiST
# indexes on the geometry columns.
TILE_SQL = """
    WITH env AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS box),
    area AS (SELECT box, ST_Transform(ST_Expand(box, %(margin)s), 4326) AS box4326 FROM env),
    boundary_lines AS (
        SELECT s.level, a.name,
               ST_AsMVTGeom(
                   ST_Simplify(ST_Transform(
                       ST_ClipByBox2D(ST_Boundary(b.geom), area.box4326), 3857), %(tolerance)s),
                   area.box, %(extent)s, %(buffer)s, true) AS geom
        FROM boundaries_boundary b
        JOIN boundaries_boundaryset s ON s.id = b.boundary_set_id AND s.is_active
        JOIN boundaries_authority a ON a.id = b.authority_id
        CROSS JOIN area
        WHERE b.geom && area.box4326
    ),
    place_points AS (
        SELECT s.level, a.name,
               ST_AsMVTGeom(ST_Transform(ST_PointOnSurface(b.geom), 3857),
                            area.box, %(extent)s, 0, true) AS geom
        FROM boundaries_boundary b
        JOIN boundaries_boundaryset s ON s.id = b.boundary_set_id AND s.is_active
        JOIN boundaries_authority a ON a.id = b.authority_id
        CROSS JOIN area
        WHERE b.geom && area.box4326
          AND (s.level IN ('land', 'kreis') OR %(z)s >= %(places_min_zoom)s)
    ),
    road_lines AS (
        SELECT r.road_class AS class, r.ref, r.name,
               ST_AsMVTGeom(ST_Simplify(ST_Transform(r.geom, 3857), %(tolerance)s),
                            area.box, %(extent)s, %(buffer)s, true) AS geom
        FROM geo_roadsegment r CROSS JOIN area
        WHERE r.geom && area.box4326 AND r.road_class = ANY(%(road_classes)s)
    ),
    asset_points AS (
        SELECT t.asset_type AS type, t.external_id, t.name,
               ST_AsMVTGeom(ST_Transform(t.geom, 3857), area.box, %(extent)s, 0, true) AS geom
        FROM geo_asset t CROSS JOIN area
        WHERE %(z)s >= %(assets_min_zoom)s AND t.geom && area.box4326
    )
    SELECT coalesce((SELECT ST_AsMVT(q, 'boundaries', %(extent)s, 'geom')
                     FROM boundary_lines q WHERE q.geom IS NOT NULL), '')
        || coalesce((SELECT ST_AsMVT(q, 'places', %(extent)s, 'geom')
                     FROM place_points q WHERE q.geom IS NOT NULL), '')
        || coalesce((SELECT ST_AsMVT(q, 'roads', %(extent)s, 'geom')
                     FROM road_lines q WHERE q.geom IS NOT NULL), '')
        || coalesce((SELECT ST_AsMVT(q, 'assets', %(extent)s, 'geom')
                     FROM asset_points q WHERE q.geom IS NOT NULL), '')
"""


class BadTile(ValueError):
    """z/x/y that do not name a tile."""


def parse_tile(z: str, x: str, y: str) -> tuple[int, int, int]:
    """z/x/y from the URL as integers of a tile that exists, else BadTile (German message)."""
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except ValueError as exc:
        raise BadTile("z, x und y müssen ganze Zahlen sein.") from exc
    if not 0 <= zi <= MAX_ZOOM:
        raise BadTile(f"z muss zwischen 0 und {MAX_ZOOM} liegen.")
    if not (0 <= xi < 2**zi and 0 <= yi < 2**zi):
        raise BadTile("x und y liegen außerhalb der Kachelmatrix dieser Zoomstufe.")
    return zi, xi, yi


def road_classes(z: int) -> list[str]:
    classes: list[str] = []
    for min_zoom, shown in ROAD_CLASSES_BY_ZOOM:
        if z >= min_zoom:
            classes = shown
    return classes


def tile_query(z: int, x: int, y: int) -> tuple[str, dict[str, Any]]:
    """SQL and parameters of one tile (the benchmark runs the same raw)."""
    tile_metres = WORLD_METRES / 2**z
    pixel_metres = tile_metres / EXTENT
    return TILE_SQL, {
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "buffer": BUFFER,
        "margin": pixel_metres * BUFFER,
        # Simplify to about one tile pixel (of 4096) at small scales; keep every vertex close up.
        "tolerance": pixel_metres if z < SIMPLIFY_BELOW_ZOOM else 0.0,
        "places_min_zoom": PLACES_MIN_ZOOM,
        "assets_min_zoom": ASSETS_MIN_ZOOM,
        "road_classes": road_classes(z),
    }


def render_tile(z: int, x: int, y: int) -> bytes:
    """The tile straight from PostGIS (no cache)."""
    sql, params = tile_query(z, x, y)
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def data_version() -> str:
    """The base map's data version: it changes in the same transaction as any write to roads,
    assets, boundaries, boundary sets or authorities (database triggers, migration 0002)."""
    with read_connection().cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    return f"{TILE_FORMAT}-{row[0]}-{row[1]}" if row else TILE_FORMAT


# (monotonic time read, version) of this process: see current_version().
_remembered: dict[str, tuple[float, str]] = {}


def current_version() -> str:
    """The data version as the tile view uses it: remembered in this process for
    settings.MAP_BASE_VERSION_SECONDS, so a tile from the cache costs no database query (the
    query and the health check of the connection were most of a cached tile's time). After
    an import, tiles of the old version are served for at most that long; tiles rendered
    meanwhile are stored under the old version's keys, which are never asked for again."""
    ttl = settings.MAP_BASE_VERSION_SECONDS
    now = time.monotonic()
    seen = _remembered.get("version")
    if ttl > 0 and seen is not None and now - seen[0] < ttl:
        return seen[1]
    version = data_version()
    _remembered["version"] = (now, version)
    return version


def cached_tile(z: int, x: int, y: int, version: str | None = None) -> bytes:
    """The tile from the cache, rendered and stored on a miss."""
    key = f"basemap:{version or data_version()}:{z}/{x}/{y}"
    tile = cache.get(key)
    if tile is None:
        tile = render_tile(z, x, y)
        cache.set(key, tile, TILE_CACHE_SECONDS)
    return bytes(tile)
