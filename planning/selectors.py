"""Planner reads, all in SQL over the materialised view `planning_report_facts` (one narrow
row per report, positions in EPSG:25832 metres; see the migration and docs/planning.md).

* density bins: planning.density,
* hot spots: ST_ClusterDBSCAN with eps in metres,
* road segments ranked by reports per km (length on the geography),
* statistics: counts by category, status, authority and month, time to acknowledge and to
  fix (median and 90th percentile), overdue share, per road ref.

The view is refreshed by Celery beat (planning.tasks); figures lag by at most one interval.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import Polygon
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from core.replica import read_connection
from tracker.models import OPEN_STATUSES

from .filters import PlanningFilters
from .stat_cells import STAT_CELLS, Durations, Statistics, sort_counted, statistics_from_cells

FACTS = "planning_report_facts"
METRIC_SRID = 25832
REFRESHED_CACHE_KEY = "planning:facts-refreshed-at"
# Hot spots: DBSCAN over at most this many (newest) reports of the filter, top N clusters.
HOTSPOT_MAX_POINTS = 100_000
HOTSPOT_LIMIT = 50
HOTSPOT_REPORT_IDS = 50
ROAD_RANKING_LIMIT = 50
# Viewports up to this area (m², 15 km x 15 km) use the GiST index, larger ones a plain scan.
INDEXED_VIEW_M2 = 15_000 * 15_000
# Memory for the statistics' sorts (percentiles of up to a million durations): in memory
# instead of external merges on disk. Set for their transaction only.
STATISTICS_WORK_MEM = "64MB"
# The bins' cells (planning.density), refreshed after the facts; their hash aggregates in memory.
BIN_CELLS = "planning_bin_cells"
BIN_CELLS_WORK_MEM = "256MB"
# Cached statistics live at most this long (the beat interval); a refresh changes the key.
STATISTICS_CACHE_SECONDS = 300


def refresh_report_facts(*, concurrently: bool = True) -> None:
    """Rebuild the facts view and the aggregates counted from it — the bins' cells
    (planning.density) and the statistics' cells (planning.stat_cells) — in one
    transaction: readers see the old facts and aggregates until the commit and then all
    new ones together, never a half-written aggregate or one that disagrees with the facts.
    Celery beat calls this; tests call it after creating data. CONCURRENTLY keeps the views
    readable during the refresh (each has a unique index)."""
    how = "CONCURRENTLY " if concurrently else ""
    with transaction.atomic(), connection.cursor() as cursor:
        # hash aggregates in memory, and no JIT compilation for one statement a run
        cursor.execute("SELECT set_config('work_mem', %s, true)", [BIN_CELLS_WORK_MEM])
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {how}{FACTS}")
        cursor.execute(f"REFRESH MATERIALIZED VIEW {how}{BIN_CELLS}")  # planning.density
        cursor.execute(f"REFRESH MATERIALIZED VIEW {how}{STAT_CELLS}")  # planning.stat_cells
    cache.set(REFRESHED_CACHE_KEY, timezone.now().isoformat(), None)


def facts_refreshed_at() -> datetime | None:
    """Time of the last refresh through refresh_report_facts (None when unknown)."""
    value = cache.get(REFRESHED_CACHE_KEY)
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def metric_extent(bbox: Polygon) -> tuple[float, float, float, float]:
    """The viewport's extent in the view's metres (min x, min y, max x, max y)."""
    # An explicit CoordTransform: transform(METRIC_SRID) took 20+ ms a call, this 0.3 ms.
    to_metric = CoordTransform(SpatialReference(bbox.srid or 4326), SpatialReference(METRIC_SRID))
    metric = cast(Polygon, bbox.transform(to_metric, clone=True))
    min_x, min_y, max_x, max_y = metric.extent
    return min_x, min_y, max_x, max_y


def extent_sql(
    extent: tuple[float, float, float, float], alias: str = "f", *, half_open: bool = False
) -> tuple[str, list[Any]]:
    """A metric extent as a filter on the view's x/y. Ranges on the two floats cost
    nothing per row; the GiST index (on ST_MakePoint(x, y)) is offered only for views small
    enough for it to pay off — walking it for a whole Landkreis took 1 s instead of 0.2 s.
    `half_open`: the upper edges are left out (cells of a grid)."""
    min_x, min_y, max_x, max_y = extent
    below = "<" if half_open else "<="
    sql = f"{alias}.x >= %s AND {alias}.x {below} %s AND {alias}.y >= %s AND {alias}.y {below} %s"
    params: list[Any] = [min_x, max_x, min_y, max_y]
    if (max_x - min_x) * (max_y - min_y) <= INDEXED_VIEW_M2:
        sql += (
            f" AND ST_SetSRID(ST_MakePoint({alias}.x, {alias}.y), {METRIC_SRID})"
            f" && ST_MakeEnvelope(%s, %s, %s, %s, {METRIC_SRID})"
        )
        params += [min_x, min_y, max_x, max_y]
    return sql, params


def _bbox_sql(bbox: Polygon | None, alias: str = "f") -> tuple[str, list[Any]]:
    """The viewport as a filter on the view's metric x/y (everything without one)."""
    if bbox is None:
        return "TRUE", []
    return extent_sql(metric_extent(bbox), alias)


@dataclass(frozen=True)
class Hotspot:
    rank: int
    count: int
    lon: float
    lat: float
    radius_m: float
    category_id: int
    report_ids: list[int]


def hotspots(
    filters: PlanningFilters,
    *,
    bbox: Polygon | None = None,
    eps_m: float = 50.0,
    min_points: int = 5,
    limit: int = HOTSPOT_LIMIT,
) -> list[Hotspot]:
    """Clusters of reports within `eps_m` metres of each other (DBSCAN, at least `min_points`
    reports), the largest first, with their centre, radius, most frequent category and (up to
    HOTSPOT_REPORT_IDS, newest first) report ids. One query."""
    where, params = filters.sql("f")
    in_view, view_params = _bbox_sql(bbox, "f")
    sql = f"""
        WITH pts AS (
            SELECT f.report_id, f.category_id, f.created_at,
                   ST_SetSRID(ST_MakePoint(f.x, f.y), {METRIC_SRID}) AS geom
            FROM {FACTS} f WHERE {where} AND {in_view}
            ORDER BY f.created_at DESC LIMIT %s
        ), clustered AS (
            SELECT pts.*, ST_ClusterDBSCAN(geom, eps => %s, minpoints => %s) OVER () AS cid
            FROM pts
        ), clusters AS (
            SELECT cid, count(*) AS n, ST_Centroid(ST_Collect(geom)) AS centre,
                   mode() WITHIN GROUP (ORDER BY category_id) AS category_id,
                   array_agg(report_id ORDER BY created_at DESC, report_id DESC) AS ids,
                   ST_Collect(geom) AS points
            FROM clustered WHERE cid IS NOT NULL GROUP BY cid
        )
        SELECT n, ST_X(ST_Transform(centre, 4326)), ST_Y(ST_Transform(centre, 4326)),
               ST_MaxDistance(centre, points), category_id, ids[1:%s]
        FROM clusters ORDER BY n DESC, cid LIMIT %s
    """  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
    with read_connection().cursor() as cursor:
        cursor.execute(
            sql,
            [
                *params,
                *view_params,
                HOTSPOT_MAX_POINTS,
                eps_m,
                min_points,
                HOTSPOT_REPORT_IDS,
                limit,
            ],
        )
        rows = cursor.fetchall()
    return [
        Hotspot(
            rank=rank,
            count=n,
            lon=round(lon, 6),
            lat=round(lat, 6),
            radius_m=round(radius or 0.0, 1),
            category_id=category_id,
            report_ids=list(ids),
        )
        for rank, (n, lon, lat, radius, category_id, ids) in enumerate(rows, start=1)
    ]


@dataclass(frozen=True)
class RoadRank:
    road_id: int
    ref: str
    name: str
    road_class: str
    length_km: float
    count: int
    per_km: float
    geometry: str  # GeoJSON (WGS84)


def road_ranking(
    filters: PlanningFilters, *, min_length_m: float = 100.0, limit: int = ROAD_RANKING_LIMIT
) -> list[RoadRank]:
    """Road segments with the most reports per km (reports snapped to the road at intake,
    `Report.road`; length on the geography, in km). Segments shorter than `min_length_m` are
    left out: one report on a 10 m stub would top every list. One query."""
    where, params = filters.sql("f")
    sql = f"""
        WITH counted AS (
            SELECT f.road_id, count(*) AS n FROM {FACTS} f
            WHERE f.road_id IS NOT NULL AND {where} GROUP BY f.road_id
        ), measured AS (
            SELECT s.id, s.ref, s.name, s.road_class, s.geom, c.n,
                   ST_Length(s.geom::geography) / 1000.0 AS km
            FROM counted c JOIN geo_roadsegment s ON s.id = c.road_id
        )
        SELECT id, ref, name, road_class, km, n, n / km, ST_AsGeoJSON(geom, 6)
        FROM measured WHERE km * 1000.0 >= %s
        ORDER BY n / km DESC, n DESC, id LIMIT %s
    """  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [*params, min_length_m, limit])
        rows = cursor.fetchall()
    return [
        RoadRank(
            road_id=road_id,
            ref=ref,
            name=name,
            road_class=road_class,
            length_km=round(km, 3),
            count=n,
            per_km=round(per_km, 2),
            geometry=geometry,
        )
        for road_id, ref, name, road_class, km, n, per_km, geometry in rows
    ]


def statistics_cache_key(filters: PlanningFilters) -> str:
    """Statistics depend only on the filter and the view's contents: the key names both (the
    last refresh), so a refresh makes every cached answer stale at once."""
    where, params = filters.sql("f")
    digest = hashlib.sha256(repr((where, params)).encode()).hexdigest()[:32]
    return f"planning:stats:{cache.get(REFRESHED_CACHE_KEY) or '-'}:{digest}"


def statistics(
    filters: PlanningFilters, *, use_cache: bool = True, stored_cells: bool = True
) -> Statistics:
    """Everything the statistics page shows. Read from the stored aggregate
    (planning.stat_cells) when it can answer the filters, else counted from the facts view
    in three queries; either in one transaction that raises work_mem for the sorts.
    Answers are cached until the next refresh of the view (at most
    STATISTICS_CACHE_SECONDS): the view does not change in between, so the second planner
    asking pays nothing. `stored_cells=False` counts the facts (the tests compare)."""
    key = statistics_cache_key(filters)
    if use_cache and stored_cells:
        cached = cache.get(key)
        if isinstance(cached, Statistics):
            return cached
    result = _statistics(filters, stored_cells=stored_cells)
    if stored_cells:
        cache.set(key, result, STATISTICS_CACHE_SECONDS)
    return result


def _grouped_counts(cursor: Any, where: str, params: list[Any]) -> dict[str, list[Any]]:
    """One scan, hashed grouping sets: counts per category, status, authority, month."""
    cursor.execute(
        f"""
        SELECT GROUPING(f.category_id, f.status, f.authority_id, f.month) AS g,
               f.category_id, f.status, f.authority_id, to_char(f.month, 'YYYY-MM'),
               count(*)
        FROM {FACTS} f
        WHERE {where}
        GROUP BY GROUPING SETS ((f.category_id), (f.status), (f.authority_id), (f.month))
        """,  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
        params,
    )
    # GROUPING bits (category, status, authority, month): 0 = grouped by that column
    groups = {0b0111: "category", 0b1011: "status", 0b1101: "authority", 0b1110: "month"}
    counted: dict[str, list[Any]] = {name: [] for name in groups.values()}
    for g, category_id, status, authority_id, month, n in cursor.fetchall():
        name = groups.get(g)
        if name is not None:
            key = {"category": category_id, "status": status, "authority": authority_id}.get(
                name, month
            )
            counted[name].append((key, n))
    return {name: sort_counted(name, rows) for name, rows in counted.items()}


def _totals(cursor: Any, where: str, params: list[Any], open_statuses: list[str]) -> Any:
    """Totals and the time percentiles (ordered-set aggregates ignore NULLs: reports that were
    never acknowledged / fixed do not count)."""
    cursor.execute(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE f.status = ANY(%s)),
               count(*) FILTER (WHERE f.status = ANY(%s) AND f.due_at < now()),
               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.ack_seconds),
               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.fix_seconds)
        FROM {FACTS} f WHERE {where}
        """,  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
        [open_statuses, open_statuses, *params],
    )
    return cursor.fetchone() or (0, 0, 0, None, None)


def _by_road(
    cursor: Any, where: str, params: list[Any], open_statuses: list[str]
) -> list[dict[str, Any]]:
    cursor.execute(
        f"""
        SELECT min(f.road_ref), count(*),
               count(*) FILTER (WHERE f.status = ANY(%s)),
               count(*) FILTER (WHERE f.status = ANY(%s) AND f.due_at < now()),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY f.fix_seconds)
        FROM {FACTS} f WHERE f.road_id IS NOT NULL AND f.road_ref_key <> '' AND {where}
        GROUP BY f.road_ref_key ORDER BY count(*) DESC, f.road_ref_key LIMIT 100
        """,  # noqa: S608 - only constant SQL fragments are formatted in; values are parameters
        [open_statuses, open_statuses, *params],
    )
    return [
        {"ref": ref, "count": n, "open": n_open, "overdue": n_overdue, "fix_median": fix_med}
        for ref, n, n_open, n_overdue, fix_med in cursor.fetchall()
    ]


def _statistics(filters: PlanningFilters, *, stored_cells: bool = True) -> Statistics:
    where, params = filters.sql("f")
    open_statuses = [str(s) for s in OPEN_STATUSES]
    db = read_connection()
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        if stored_cells:
            # reads the aggregate only: no sorts, no work_mem
            stored = statistics_from_cells(filters, cursor)
            if stored is not None:
                return stored
        cursor.execute("SELECT set_config('work_mem', %s, true)", [STATISTICS_WORK_MEM])
        counted = _grouped_counts(cursor, where, params)
        total, open_count, overdue, ack, fix = _totals(cursor, where, params, open_statuses)
        by_road = _by_road(cursor, where, params, open_statuses)
    return Statistics(
        total=total,
        open=open_count,
        overdue=overdue,
        durations=Durations(
            ack_median=ack[0] if ack else None,
            ack_p90=ack[1] if ack else None,
            fix_median=fix[0] if fix else None,
            fix_p90=fix[1] if fix else None,
        ),
        by_category=counted["category"],
        by_status=counted["status"],
        by_authority=counted["authority"],
        by_month=counted["month"],
        by_road=by_road,
    )
