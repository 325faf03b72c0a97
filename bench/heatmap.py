"""Planner benchmark: heatmap bins for a whole Landkreis, one vector tile, and the statistics,
over 1M reports, each against its raw SQL measured in the same run.

    .venv/bin/python bench/heatmap.py [--reports 1000000] [--repeat 30]

Reuses bench/map_read.py's generator (`ensure_reports`) and adds what planners look at: a
history (acknowledged after hours to days, fixed after days to weeks, for the reports past
"new"), due dates, and Kreisstraßen with a fifth of the reports on them. Then it refreshes the
facts view the way Celery beat does.
Targets: bins p95 < 300 ms, tile p95 < 50 ms, statistics < 1 s, each < 1.3x its raw SQL.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.common import (
    measure,
    measure_interleaved,
    report,
    secondary_indexes_dropped,
    setup_django,
)
from bench.map_read import REGION, ensure_reports

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper
    from django.test import Client

    from boundaries.models import Authority
    from planning.filters import PlanningFilters

# The busiest town of the generator, and a z14 tile on it (individual points).
TILE = (14, 8651, 5315)
ROADS = 60
# The whole Landkreis at zoom 10 (the bins).
BBOX = ",".join(str(v) for v in REGION)
ZOOM = 10
BINS_URL = "/api/v1/planning/bins"
STATS_API_URL = "/api/v1/planning/stats"
STATS_PAGE_URL = "/planung/statistik/"


# Every fifth report of the Kreis lies on one of the bench Kreisstraßen; all are due after
# 14 days.
ASSIGN_ROADS_AND_DUE_DATES = """
    UPDATE tracker_report r
    SET road_id = CASE WHEN r.id %% 5 = 0 THEN (%(roads)s::bigint[])[
                           1 + (r.id %% array_length(%(roads)s::bigint[], 1))]
                  END,
        due_at = r.created_at + interval '14 days'
    WHERE r.authority_id = %(kreis)s
    """
# acknowledged (new -> in_review) after 1 h .. 5 days for everything past "new"
ACKNOWLEDGED_EVENTS = """
    INSERT INTO tracker_reportevent (report_id, kind, from_status, to_status, note,
                                     is_public, review, created_at)
    SELECT r.id, 'status', 'new', 'in_review', 'bench', true, '',
           r.created_at + interval '1 hour' + random() * interval '5 days'
    FROM tracker_report r
    WHERE r.authority_id = %(kreis)s AND r.status <> 'new'
    """
# fixed after 2 .. 60 days
FIXED_EVENTS = """
    INSERT INTO tracker_reportevent (report_id, kind, from_status, to_status, note,
                                     is_public, review, created_at)
    SELECT r.id, 'status', 'in_progress', 'done', 'bench', true, '',
           r.created_at + interval '2 days' + random() * interval '58 days'
    FROM tracker_report r
    WHERE r.authority_id = %(kreis)s AND r.status = 'done'
    """


def ensure_roads(kreis: Authority) -> None:
    """ROADS north-south Kreisstraßen of the Kreis, side by side across the region (once)."""
    from django.contrib.gis.geos import LineString

    from geo.models import RoadClass, RoadSegment

    if RoadSegment.objects.filter(source="bench").exists():
        return
    min_lon, min_lat, max_lon, _max_lat = REGION
    step_lon = (max_lon - min_lon) / ROADS
    RoadSegment.objects.bulk_create(
        RoadSegment(
            geom=LineString(
                (min_lon + i * step_lon, min_lat), (min_lon + i * step_lon, min_lat + 0.02)
            ),
            road_class=RoadClass.KREISSTRASSE,
            ref=f"K {i + 1}",
            owner=kreis,
            source="bench",
        )
        for i in range(ROADS)
    )


def generate_history(cursor: CursorWrapper, kreis: Authority) -> None:
    """Roads and due dates on the Kreis's reports, and their status events."""
    cursor.execute("SELECT array_agg(id ORDER BY id) FROM geo_roadsegment WHERE source = 'bench'")
    road_ids = (cursor.fetchone() or [[]])[0]
    with secondary_indexes_dropped(cursor, "tracker_report"):
        cursor.execute(ASSIGN_ROADS_AND_DUE_DATES, {"roads": road_ids, "kreis": kreis.pk})
    with secondary_indexes_dropped(cursor, "tracker_reportevent"):
        cursor.execute(ACKNOWLEDGED_EVENTS, {"kreis": kreis.pk})
        cursor.execute(FIXED_EVENTS, {"kreis": kreis.pk})
    cursor.execute("VACUUM ANALYZE tracker_report")
    cursor.execute("VACUUM ANALYZE tracker_reportevent")


def ensure_history() -> None:
    """Roads, due dates and status events for the generated reports (once)."""
    from django.db import connection

    from boundaries.models import Authority

    kreis = Authority.objects.get(slug="bench-kreis")
    ensure_roads(kreis)
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM tracker_reportevent WHERE note = 'bench')")
        row = cursor.fetchone()
        if row and row[0]:
            print("history present")
            return
        started = time.perf_counter()
        generate_history(cursor, kreis)
    print(f"generated history in {time.perf_counter() - started:.1f} s")


def refresh_facts() -> None:
    """Refresh the facts view the way Celery beat does, and analyse it."""
    from django.db import connection

    from planning.selectors import FACTS, STAT_CELLS, refresh_report_facts
    from tracker.tiles import TILE_CELLS, refresh_tile_cells

    started = time.perf_counter()
    refresh_report_facts(concurrently=False)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FACTS}")
        cursor.execute(f"SELECT count(*) FROM {FACTS}")
        (facts,) = cursor.fetchone() or (0,)
    print(f"facts view refreshed in {time.perf_counter() - started:.1f} s ({facts} rows)")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {STAT_CELLS}")
        cursor.execute(
            f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{STAT_CELLS}'))"
            f" FROM {STAT_CELLS}"
        )
        rows, size = cursor.fetchone() or (0, "")
    print(f"  with the statistics' cells: {rows} rows, {size}")
    started = time.perf_counter()
    refresh_tile_cells(concurrently=False)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TILE_CELLS}")
        cursor.execute(f"SELECT count(*) FROM {TILE_CELLS}")
        (cells,) = cursor.fetchone() or (0,)
    print(f"tile cells refreshed in {time.perf_counter() - started:.1f} s ({cells} rows)")


@dataclass(frozen=True)
class Run:
    """What every measured figure shares: a superuser planner's logged-in client, their
    unfiltered planning filters, and how often to repeat."""

    client: Client
    filters: PlanningFilters
    repeat: int

    @property
    def stats_repeat(self) -> int:
        # the statistics take longer: fewer rounds, but never fewer than ten
        return max(10, self.repeat // 2)


def start_run(repeat: int) -> Run:
    from django.test import Client

    from accounts.models import User
    from planning.filters import PlanningFilterForm
    from planning.scope import planning_scope

    planner, _created = User.objects.get_or_create(
        email="bench-planner@example.org", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(planner)
    form = PlanningFilterForm({}, scope=planning_scope(planner))
    assert form.is_valid()
    return Run(client=client, filters=form.filters(), repeat=repeat)


def statistics_statements(run: Run, *, stored_cells: bool = True) -> list[str]:
    """The statistics' queries as planning.selectors.statistics sends them: read from the
    stored cells (planning.stat_cells), or counted from the facts (`stored_cells=False`,
    what a filter the cells cannot answer costs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from planning.selectors import statistics

    with CaptureQueriesContext(connection) as queries:
        statistics(run.filters, use_cache=False, stored_cells=stored_cells)
    return [q["sql"] for q in queries.captured_queries]


def run_statements(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:  # incl. the transaction (and the live path's work_mem)
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()


def describe(run: Run) -> None:
    """What is measured: the reports and cells of the bins, the size of the tile."""
    from planning.density import cell_size_for_zoom, density_bins_query
    from tracker.tiles import CELLS_SQL, reports_in_tile, tile_query

    first = run.client.get(BINS_URL, {"bbox": BBOX, "zoom": str(ZOOM)}).json()
    size = cell_size_for_zoom(ZOOM, (REGION[1] + REGION[3]) / 2)
    stored = density_bins_query(run.filters, bbox=None, size_m=size).aggregated
    print(
        f"whole Landkreis {BBOX} at zoom {ZOOM}: {first['total']} reports, "
        f"{len(first['features'])} cells of {first['cell_size_m']} m "
        f"({'stored cells' if stored else 'counted from the facts'})"
    )

    z, x, y = TILE
    tile_bytes = len(run.client.get(f"/tiles/reports/{z}/{x}/{y}.pbf").content)
    kind = "cells" if tile_query(z, x, y)[0] == CELLS_SQL else "points"
    print(f"tile {z}/{x}/{y}: {reports_in_tile(z, x, y)} reports, {kind}, {tile_bytes} bytes")


def measure_bins(run: Run) -> None:
    """The heatmap bins of the whole Landkreis at ZOOM against their raw SQL."""
    from django.contrib.gis.geos import Polygon
    from django.db import connection

    from planning.density import cell_size_for_zoom, density_bins_query

    size = cell_size_for_zoom(ZOOM, (REGION[1] + REGION[3]) / 2)
    bins_sql = density_bins_query(run.filters, bbox=Polygon.from_bbox(REGION), size_m=size)

    def bins_api() -> None:
        response = run.client.get(BINS_URL, {"bbox": BBOX, "zoom": str(ZOOM)})
        assert response.status_code == 200, response.content[:200]

    def bins_raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(bins_sql.sql, bins_sql.params)
            cursor.fetchone()

    baseline = measure(bins_raw, repeat=run.repeat)
    samples = measure(bins_api, repeat=run.repeat)
    report("heatmap bins (whole Landkreis)", samples, baseline, "raw SQL")

    # What a filter the stored cells cannot answer costs (counted from the facts; fewer
    # rounds, it takes seconds at 5M): the same bins, the fallback SQL.
    live_sql = density_bins_query(
        run.filters, bbox=Polygon.from_bbox(REGION), size_m=size, stored_cells=False
    )

    def bins_live() -> None:
        with connection.cursor() as cursor:
            cursor.execute(live_sql.sql, live_sql.params)
            cursor.fetchone()

    samples = measure(bins_live, repeat=max(5, run.repeat // 3))
    report("heatmap bins counted from the facts (fallback)", samples, baseline, "stored cells")


def measure_tile(run: Run) -> None:
    """One z14 vector tile against its raw SQL (three times as many rounds: it is quick)."""
    from django.db import connection

    from tracker.tiles import tile_query

    z, x, y = TILE
    tile_sql, tile_params = tile_query(z, x, y)

    def tile_api() -> None:
        response = run.client.get(f"/tiles/reports/{z}/{x}/{y}.pbf")
        assert response.status_code == 200

    def tile_raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(tile_sql, tile_params)
            cursor.fetchone()

    baseline = measure(tile_raw, repeat=run.repeat * 3)
    samples = measure(tile_api, repeat=run.repeat * 3)
    report("vector tile z14", samples, baseline, "raw SQL")


def get_ok(run: Run, path: str) -> None:
    response = run.client.get(path)
    assert response.status_code == 200


def measure_statistics_uncached(
    run: Run, statements: list[str], *, fallback: bool = True
) -> list[float]:
    """The statistics API and page with the cache emptied before each call (what the first
    planner after a refresh, or with a new filter, pays) against the captured queries run
    raw; returns that baseline for the cached figures. Then the same statistics counted
    from the facts (the fallback for filters the stored cells cannot answer, and how every
    statistic was computed before them), raw, fewer rounds: it takes seconds at 5M."""
    from django.core.cache import cache

    from planning.selectors import statistics_cache_key

    def stats_api_cold() -> None:
        cache.delete(statistics_cache_key(run.filters))
        get_ok(run, STATS_API_URL)

    def stats_page_cold() -> None:
        cache.delete(statistics_cache_key(run.filters))
        get_ok(run, STATS_PAGE_URL)

    # interleaved: the shared machine's noise falls on the API and its raw SQL alike
    rounds = measure_interleaved(
        {
            "raw": lambda: run_statements(statements),
            "api": stats_api_cold,
            "page": stats_page_cold,
        },
        repeat=run.stats_repeat,
        warmup=2,
    )
    baseline = rounds["raw"]
    report("statistics API (uncached)", rounds["api"], baseline, "raw SQL")
    report("statistics page (uncached)", rounds["page"], baseline, "raw SQL")
    if fallback:
        live = statistics_statements(run, stored_cells=False)
        facts = measure(lambda: run_statements(live), repeat=max(5, run.repeat // 6), warmup=1)
        report("statistics counted from the facts (fallback, raw SQL)", facts, baseline, "cells")
    return baseline


def warm_statistics_cache() -> None:
    """What the beat task does after each refresh."""
    from planning.tasks import warm_statistics

    started = time.perf_counter()
    scopes = warm_statistics()
    print(f"warmed the statistics of {scopes} scopes in {time.perf_counter() - started:.1f} s")


def measure_statistics_warm(run: Run, baseline: list[float]) -> None:
    """The statistics page and API once the refresh task has filled the cache."""
    samples = measure(lambda: get_ok(run, STATS_PAGE_URL), repeat=run.stats_repeat, warmup=0)
    report("statistics page (after the refresh task)", samples, baseline, "raw SQL")
    samples = measure(lambda: get_ok(run, STATS_API_URL), repeat=run.stats_repeat, warmup=0)
    report("statistics API (after the refresh task)", samples, baseline, "raw SQL")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--statistics-only",
        action="store_true",
        help="only the uncached statistics, over the views as they are (no generation, no "
        "refresh): quick rounds to alternate between database sizes on a loaded machine",
    )
    args = parser.parse_args()
    setup_django()
    if args.statistics_only:
        run = start_run(args.repeat)
        measure_statistics_uncached(run, statistics_statements(run), fallback=False)
        return
    ensure_reports(args.reports)
    ensure_history()
    refresh_facts()
    run = start_run(args.repeat)
    statements = statistics_statements(run)
    describe(run)
    measure_bins(run)
    measure_tile(run)
    baseline = measure_statistics_uncached(run, statements)
    warm_statistics_cache()
    measure_statistics_warm(run, baseline)


if __name__ == "__main__":
    main()
