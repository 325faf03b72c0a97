"""Mapbox vector tiles of the public reports: `GET /tiles/reports/{z}/{x}/{y}.pbf`.

Public data only — the same as the public map API: confirmed reports, their approximate
location (snapped to tracker.selectors.PUBLIC_GRID_DEGREES), category and status, no text and
no contact data. That keeps the tiles identical for everyone, so browsers and proxies may
cache them. Planners get their scoped figures from /api/v1/planning/ instead.

Layer `reports`:
* one point per report with `id`, `category`, `status` — at zoom >= POINT_MIN_ZOOM, when the
  tile holds at most settings.MAP_TILE_MAX_POINTS reports;
* otherwise one point per cell (1/CELLS_PER_TILE of the tile's edge, the cell's centre in
  EPSG:3857) with `count`, read from the materialised view `tracker_tile_cells` that beat
  refreshes (tracker.refresh_tile_cells, every MAP_TILE_CELLS_REFRESH_SECONDS). A tile then
  costs at most 64 x 64 rows however many reports there are; its counts lag by at most
  one refresh (the tiles are cached by browsers for CACHE_SECONDS anyway). Cells deeper
  than CELL_MAX_ZOOM are those of CELL_MAX_ZOOM (38 m).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import connection
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
# The finest level of tracker_tile_cells (see its migration).
CELL_MAX_ZOOM = 14
TILE_CELLS = "tracker_tile_cells"
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
    features AS (
        SELECT c.n AS count,
               ST_AsMVTGeom(ST_SetSRID(ST_MakePoint((c.i + 0.5) * %(cell)s,
                                                    (c.j + 0.5) * %(cell)s), 3857),
                            env.box, %(extent)s, %(buffer)s, true) AS geom
        FROM tile_cells c CROSS JOIN env
        WHERE c.z = %(level)s AND c.i BETWEEN %(i0)s AND %(i1)s
          AND c.j BETWEEN %(j0)s AND %(j1)s
    )
    SELECT ST_AsMVT(features, 'reports', %(extent)s, 'geom') FROM features
    WHERE geom IS NOT NULL
""".replace("tile_cells", TILE_CELLS)

# Reports in the tile (no buffer), from the finest cells: decides points or cells.
COUNT_SQL = f"""
    SELECT coalesce(sum(n), 0) FROM {TILE_CELLS}
    WHERE z = %(level)s AND i BETWEEN %(i0)s AND %(i1)s AND j BETWEEN %(j0)s AND %(j1)s
"""  # noqa: S608 - a constant table name


def refresh_tile_cells(*, concurrently: bool = True) -> None:
    """Recount the cells (beat; tests after creating reports). CONCURRENTLY keeps the tiles
    readable during the refresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if concurrently else ''}{TILE_CELLS}"
        )


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


def _cell_range(first: int, scale: float, margin: float, offset: int) -> tuple[int, int]:
    """Cell indexes covering tiles [first, first + 1) (in tile units along one axis) and a
    margin (both in cells; powers of two, so the float arithmetic is exact)."""
    return (
        math.floor(first * scale - margin) - offset,
        math.ceil((first + 1) * scale + margin) - 1 - offset,
    )


def _tile_params(z: int, x: int, y: int, *, buffered: bool = True) -> dict[str, float | int]:
    tile_metres = WORLD_METRES / 2**z
    level = min(z, CELL_MAX_ZOOM)
    scale = 2 ** (level + 6) / 2**z  # cells of the level per tile (CELLS_PER_TILE = 2**6)
    margin = scale * BUFFER / EXTENT if buffered else 0.0
    offset = 2 ** (level + 5)  # cell index 0 starts at the world's centre
    i0, i1 = _cell_range(x, scale, margin, offset)
    j0, j1 = _cell_range(2**z - 1 - y, scale, margin, offset)  # tile rows count southwards
    return {
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "buffer": BUFFER,
        "margin": tile_metres * BUFFER / EXTENT,
        "grid": PUBLIC_GRID_DEGREES,
        "level": level,
        "cell": WORLD_METRES / 2 ** (level + 6),
        "i0": i0,
        "i1": i1,
        "j0": j0,
        "j1": j1,
    }


def reports_in_tile(z: int, x: int, y: int) -> int:
    """Confirmed reports in the tile, as the cells counted them at the last refresh."""
    with read_connection().cursor() as cursor:
        cursor.execute(COUNT_SQL, _tile_params(z, x, y, buffered=False))
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def tile_query(z: int, x: int, y: int) -> tuple[str, dict[str, float | int]]:
    """SQL and parameters of one tile (the benchmark runs the same raw): points when the
    tile is deep enough and holds few enough reports, cells otherwise."""
    params = _tile_params(z, x, y)
    if z >= POINT_MIN_ZOOM and reports_in_tile(z, x, y) <= settings.MAP_TILE_MAX_POINTS:
        return POINTS_SQL, params
    return CELLS_SQL, params


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
