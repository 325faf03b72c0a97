"""Mapbox vector tiles of the public reports: `GET /tiles/reports/{z}/{x}/{y}.pbf`.

Public data only — the same as the public map API: confirmed reports, their approximate
location (snapped to tracker.selectors.PUBLIC_GRID_DEGREES), category and status, no text and
no contact data. That keeps the tiles identical for everyone, so browsers and proxies may
cache them. Planners get their scoped figures from /api/v1/planning/ instead.

Layer `reports`:
* zoom >= POINT_MIN_ZOOM: one point per report with `id`, `category`, `status`;
* below: one point per cell of 1/CELLS_PER_TILE of the tile (snapped in EPSG:3857, the
  tile's own metres) with `count`, so a tile never carries a million points.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from core.replica import read_connection, read_from_replica
from tracker.selectors import PUBLIC_GRID_DEGREES

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 22
POINT_MIN_ZOOM = 14
CELLS_PER_TILE = 64
EXTENT = 4096
BUFFER = 64
CACHE_SECONDS = 300
# Web Mercator: the world is 2 * 20037508.34 m wide.
WORLD_METRES = 2 * 20037508.342789244

# The tile's box in 3857 (for ST_AsMVTGeom) and, with the buffer, in 4326 for the GiST index
# on tracker_report.location.
POINTS_SQL = """
    WITH env AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS box),
    area AS (SELECT box, ST_Transform(ST_Expand(box, %(margin)s), 4326) AS box4326 FROM env),
    features AS (
        SELECT r.id, c.slug AS category, r.status,
               ST_AsMVTGeom(ST_Transform(ST_SnapToGrid(r.location, %(grid)s), 3857),
                            area.box, %(extent)s, %(buffer)s, true) AS geom
        FROM tracker_report r
        JOIN tracker_category c ON c.id = r.category_id
        CROSS JOIN area
        WHERE r.confirmed_at IS NOT NULL AND r.location && area.box4326
    )
    SELECT ST_AsMVT(features, 'reports', %(extent)s, 'geom') FROM features
    WHERE geom IS NOT NULL
"""

CELLS_SQL = """
    WITH env AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS box),
    area AS (SELECT box, ST_Transform(ST_Expand(box, %(margin)s), 4326) AS box4326 FROM env),
    cells AS (
        SELECT ST_SnapToGrid(ST_Transform(r.location, 3857), %(cell)s) AS centre, count(*) AS n
        FROM tracker_report r CROSS JOIN area
        WHERE r.confirmed_at IS NOT NULL AND r.location && area.box4326
        GROUP BY 1
    ), features AS (
        SELECT n AS count, ST_AsMVTGeom(centre, area.box, %(extent)s, %(buffer)s, true) AS geom
        FROM cells CROSS JOIN area
    )
    SELECT ST_AsMVT(features, 'reports', %(extent)s, 'geom') FROM features
    WHERE geom IS NOT NULL
"""


class BadTile(ValueError):
    """z/x/y that do not name a tile."""


def parse_tile(z: str, x: str, y: str) -> tuple[int, int, int]:
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except ValueError as exc:
        raise BadTile("z, x und y müssen ganze Zahlen sein.") from exc
    if not 0 <= zi <= MAX_ZOOM:
        raise BadTile(f"z muss zwischen 0 und {MAX_ZOOM} liegen.")
    if not (0 <= xi < 2**zi and 0 <= yi < 2**zi):
        raise BadTile("x und y liegen außerhalb der Kachelmatrix dieser Zoomstufe.")
    return zi, xi, yi


def tile_query(z: int, x: int, y: int) -> tuple[str, dict[str, float | int]]:
    """SQL and parameters of one tile (the benchmark runs the same raw)."""
    tile_metres = WORLD_METRES / 2**z
    params: dict[str, float | int] = {
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "buffer": BUFFER,
        "margin": tile_metres * BUFFER / EXTENT,
        "grid": PUBLIC_GRID_DEGREES,
        "cell": tile_metres / CELLS_PER_TILE,
    }
    return (POINTS_SQL if z >= POINT_MIN_ZOOM else CELLS_SQL), params


def report_tile(z: int, x: int, y: int) -> bytes:
    sql, params = tile_query(z, x, y)
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


@require_GET
@read_from_replica
def report_tile_view(request: HttpRequest, z: str, x: str, y: str) -> HttpResponse:
    try:
        zi, xi, yi = parse_tile(z, x, y)
    except BadTile as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    response = HttpResponse(report_tile(zi, xi, yi), content_type=MVT_CONTENT_TYPE)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
