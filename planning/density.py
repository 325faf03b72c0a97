"""Density bins of the planners' heatmap: report counts per square cell or hexagon that
adapt to the zoom, as GeoJSON built in SQL (one query).

Square cells count every report of each cell the viewport touches (a cell's count does not
depend on where the edge of the screen cuts it). They are read from the view
`planning_bin_cells` — counts per cell, authority and one of category / status / month,
refreshed with the facts (see its migration) — whenever it can answer: a stored cell size
(BIN_CELL_SIZES_M), no road filter, and at most one of category, status and a period of
whole months. Everything else (hexagons, other sizes, road filters, a period cut mid-month,
two of those filters together) counts the facts view, as fast as a scan of the reports can
be. Both give the same answer for the same filters (tests/planning/test_bins.py).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Polygon

from core.replica import read_connection

from .filters import PlanningFilters, month_start
from .selectors import BIN_CELLS, FACTS, METRIC_SRID, _bbox_sql, extent_sql, metric_extent

# Cell edges to choose from (metres): "nice" numbers, so a cell means the same on every map.
CELL_SIZES_M = (25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000)
# A cell should be about this many screen pixels wide.
CELL_PIXELS = 24
# Hexagons are counted from square sub-cells this many times finer (see _hex_cells_sql).
HEX_SUBDIVISION = 8
# The sizes planning_bin_cells holds (its migration), and its `dim` column:
# GROUPING(category_id, status, month) of the row.
BIN_CELL_SIZES_M = (250, 500, 1000, 2000, 5000, 10000, 20000, 50000)
DIM_ALL, DIM_CATEGORY, DIM_STATUS, DIM_MONTH = 7, 3, 5, 6


def cell_size_for_zoom(zoom: float, latitude: float = 51.0) -> int:
    """The cell edge (metres) for a web map zoom level: about CELL_PIXELS screen pixels."""
    metres_per_pixel = 156_543.03392 * math.cos(math.radians(latitude)) / (2**zoom)
    wanted = metres_per_pixel * CELL_PIXELS
    return min(CELL_SIZES_M, key=lambda size: abs(math.log(size / wanted)))


@dataclass(frozen=True)
class BinQuery:
    sql: str
    params: list[Any]
    aggregated: bool = False  # read from planning_bin_cells


def _hex_cells_sql(where: str, in_view: str, params: list[Any], size_m: int) -> BinQuery:
    # Points are first counted in square sub-cells (size/8, cheap arithmetic), whose
    # centres are then matched to the ST_HexagonGrid cells covering them: one hexagon
    # per sub-cell (DISTINCT ON), so the counts still add up to the filtered total.
    sub = size_m / HEX_SUBDIVISION
    sql = f"""
        WITH sub AS (
            SELECT (floor(f.x / %s) + 0.5) * %s AS cx, (floor(f.y / %s) + 0.5) * %s AS cy,
                   count(*) AS n
            FROM {FACTS} f WHERE {where} AND {in_view}
            GROUP BY 1, 2
        ), extent AS (
            SELECT ST_SetSRID(ST_Extent(ST_MakePoint(cx, cy)), {METRIC_SRID}) AS box FROM sub
        ), assigned AS (
            SELECT DISTINCT ON (sub.cx, sub.cy) h.i, h.j, h.geom, sub.n
            FROM sub, extent,
                 LATERAL ST_HexagonGrid(%s, ST_Expand(extent.box, %s)) h
            WHERE ST_Intersects(h.geom, ST_SetSRID(ST_MakePoint(sub.cx, sub.cy), {METRIC_SRID}))
            ORDER BY sub.cx, sub.cy, h.i, h.j
        ), cells AS (
            SELECT geom, sum(n)::bigint AS n FROM assigned GROUP BY i, j, geom
        )
    """  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
    params = [sub, sub, sub, sub, *params, size_m, size_m]
    return BinQuery(sql, params)


SQUARES = f""", cells AS (
            SELECT ST_MakeEnvelope(i * %s, j * %s, (i + 1) * %s, (j + 1) * %s,
                                   {METRIC_SRID}) AS geom, n
            FROM counted
        )"""  # noqa: S608 - a constant SRID


def _cell_range(bbox: Polygon, size_m: int) -> tuple[int, int, int, int]:
    """The cells (first i, last i, first j, last j) the viewport touches."""
    min_x, min_y, max_x, max_y = metric_extent(bbox)
    return (
        math.floor(min_x / size_m),
        math.floor(max_x / size_m),
        math.floor(min_y / size_m),
        math.floor(max_y / size_m),
    )


def _square_cells_sql(
    filters: PlanningFilters, bbox: Polygon | None, size_m: int
) -> tuple[str, list[Any]]:
    # Square cells: floor(x / size) on the two floats of the view instead of building a
    # million geometries (0.2 s instead of 1.4 s for a whole Landkreis at 1M reports).
    where, params = filters.sql("f")
    in_view, view_params = "TRUE", list[Any]()
    if bbox is not None:
        i0, i1, j0, j1 = _cell_range(bbox, size_m)
        extent = (i0 * size_m, j0 * size_m, (i1 + 1) * size_m, (j1 + 1) * size_m)
        in_view, view_params = extent_sql(extent, "f", half_open=True)
    sql = f"""
        WITH counted AS (
            SELECT floor(f.x / %s)::int4 AS i, floor(f.y / %s)::int4 AS j, count(*) AS n
            FROM {FACTS} f WHERE {where} AND {in_view}
            GROUP BY 1, 2
        )"""  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
    return sql, [size_m, size_m, *params, *view_params]


def _aggregate_where(filters: PlanningFilters) -> tuple[int, str, list[Any]] | None:
    """`dim` and a WHERE clause over planning_bin_cells for the filters, or None when the
    cells cannot answer them."""
    if filters.road_classes or filters.road_ref:
        return None
    period = filters.since is not None or filters.until is not None
    if sum(map(bool, (filters.category_ids, filters.statuses, period))) > 1:
        return None
    since, until = month_start(filters.since), month_start(filters.until)
    if (filters.since is not None and since is None) or (
        filters.until is not None and until is None
    ):
        return None
    # scope, authorities, categories and statuses: the same columns as in the facts
    where, params = dataclasses.replace(filters, since=None, until=None).sql("b")
    if since is not None:
        where += " AND b.month >= %s"
        params.append(since)
    if until is not None:
        where += " AND b.month < %s"
        params.append(until)
    dim = (
        DIM_CATEGORY
        if filters.category_ids
        else DIM_STATUS
        if filters.statuses
        else DIM_MONTH
        if period
        else DIM_ALL
    )
    return dim, where, params


def _aggregated_cells_sql(
    dim: int, where: str, params: list[Any], bbox: Polygon | None, size_m: int
) -> tuple[str, list[Any]]:
    in_view, view_params = "TRUE", []
    if bbox is not None:
        in_view = "b.i BETWEEN %s AND %s AND b.j BETWEEN %s AND %s"
        view_params = list(_cell_range(bbox, size_m))
    sql = f"""
        WITH counted AS (
            SELECT b.i, b.j, sum(b.n)::bigint AS n
            FROM {BIN_CELLS} b
            WHERE b.size_m = %s AND b.dim = %s AND {where} AND {in_view}
            GROUP BY 1, 2
        )"""  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
    return sql, [size_m, dim, *params, *view_params]


def density_bins_query(
    filters: PlanningFilters,
    *,
    bbox: Polygon | None,
    size_m: int,
    shape: str = "square",
    stored_cells: bool = True,
) -> BinQuery:
    """The SQL of density_bins (also run raw by the benchmark). `stored_cells=False`
    counts the facts even where planning_bin_cells could answer (the tests compare)."""
    aggregated = False
    if shape == "hex":
        where, params = filters.sql("f")
        in_view, view_params = _bbox_sql(bbox, "f")
        cells = _hex_cells_sql(where, in_view, [*params, *view_params], size_m)
        sql, params = cells.sql, list(cells.params)
    else:
        answerable = (
            _aggregate_where(filters) if stored_cells and size_m in BIN_CELL_SIZES_M else None
        )
        if answerable is not None:
            sql, params = _aggregated_cells_sql(*answerable, bbox, size_m)
            aggregated = True
        else:
            sql, params = _square_cells_sql(filters, bbox, size_m)
        sql += SQUARES
        params += [size_m, size_m, size_m, size_m]
    sql += """
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'cell_size_m', %s::int,
            'shape', %s::text,
            'total', coalesce(sum(n), 0)::bigint,
            'max', coalesce(max(n), 0)::bigint,
            'features', coalesce(json_agg(json_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::json,
                'properties', json_build_object('count', n)
            ) ORDER BY n DESC), '[]'::json)
        )::text
        FROM cells
    """
    params += [size_m, shape]
    return BinQuery(sql, params, aggregated)


def density_bins(
    filters: PlanningFilters, *, bbox: Polygon | None, size_m: int, shape: str = "square"
) -> str:
    """Report counts per cell as a GeoJSON FeatureCollection (text, built in SQL), with
    `cell_size_m`, `shape`, `total` (sum of the counts = the filtered reports in the cells)
    and `max` members. One query."""
    query = density_bins_query(filters, bbox=bbox, size_m=size_m, shape=shape)
    with read_connection().cursor() as cursor:
        cursor.execute(query.sql, query.params)
        row = cursor.fetchone()
    return str(row[0]) if row else '{"type": "FeatureCollection", "features": []}'
