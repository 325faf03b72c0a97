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

from bench.common import measure, report, setup_django
from bench.map_read import REGION, ensure_reports

# The busiest town of the generator, and a z14 tile on it (individual points).
TILE = (14, 8651, 5315)
ROADS = 60


def ensure_history() -> None:
    """Roads, due dates and status events for the generated reports (once)."""
    from django.contrib.gis.geos import LineString
    from django.db import connection

    from boundaries.models import Authority
    from geo.models import RoadClass, RoadSegment

    kreis = Authority.objects.get(slug="bench-kreis")
    if not RoadSegment.objects.filter(source="bench").exists():
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM tracker_reportevent WHERE note = 'bench')")
        row = cursor.fetchone()
        if row and row[0]:
            print("history present")
            return
        started = time.perf_counter()
        cursor.execute(
            "SELECT array_agg(id ORDER BY id) FROM geo_roadsegment WHERE source = 'bench'"
        )
        road_ids = (cursor.fetchone() or [[]])[0]
        cursor.execute(
            """
            UPDATE tracker_report r
            SET road_id = CASE WHEN r.id %% 5 = 0 THEN (%(roads)s::bigint[])[
                                   1 + (r.id %% array_length(%(roads)s::bigint[], 1))]
                          END,
                due_at = r.created_at + interval '14 days'
            WHERE r.authority_id = %(kreis)s
            """,
            {"roads": road_ids, "kreis": kreis.pk},
        )
        # acknowledged (new -> in_review) after 1 h .. 5 days for everything past "new"
        cursor.execute(
            """
            INSERT INTO tracker_reportevent (report_id, kind, from_status, to_status, note,
                                             is_public, created_at)
            SELECT r.id, 'status', 'new', 'in_review', 'bench', true,
                   r.created_at + interval '1 hour' + random() * interval '5 days'
            FROM tracker_report r
            WHERE r.authority_id = %(kreis)s AND r.status <> 'new'
            """,
            {"kreis": kreis.pk},
        )
        # fixed after 2 .. 60 days
        cursor.execute(
            """
            INSERT INTO tracker_reportevent (report_id, kind, from_status, to_status, note,
                                             is_public, created_at)
            SELECT r.id, 'status', 'in_progress', 'done', 'bench', true,
                   r.created_at + interval '2 days' + random() * interval '58 days'
            FROM tracker_report r
            WHERE r.authority_id = %(kreis)s AND r.status = 'done'
            """,
            {"kreis": kreis.pk},
        )
        cursor.execute("VACUUM ANALYZE tracker_report")
        cursor.execute("VACUUM ANALYZE tracker_reportevent")
    print(f"generated history in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from planning.filters import PlanningFilterForm
    from planning.scope import planning_scope
    from planning.selectors import (
        FACTS,
        cell_size_for_zoom,
        density_bins_query,
        refresh_report_facts,
    )
    from tracker.tiles import tile_query

    ensure_reports(args.reports)
    ensure_history()
    started = time.perf_counter()
    refresh_report_facts(concurrently=False)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FACTS}")
        cursor.execute(f"SELECT count(*) FROM {FACTS}")
        (facts,) = cursor.fetchone() or (0,)
    print(f"facts view refreshed in {time.perf_counter() - started:.1f} s ({facts} rows)")

    planner, _created = User.objects.get_or_create(
        email="bench-planner@example.org", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(planner)
    bbox = ",".join(str(v) for v in REGION)
    zoom = 10
    from django.contrib.gis.geos import Polygon

    form = PlanningFilterForm({}, scope=planning_scope(planner))
    assert form.is_valid()
    filters = form.filters()
    size = cell_size_for_zoom(zoom, (REGION[1] + REGION[3]) / 2)
    bins_sql = density_bins_query(filters, bbox=Polygon.from_bbox(REGION), size_m=size)

    def bins_api() -> None:
        response = client.get("/api/v1/planning/bins", {"bbox": bbox, "zoom": str(zoom)})
        assert response.status_code == 200, response.content[:200]

    def bins_raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(bins_sql.sql, bins_sql.params)
            cursor.fetchone()

    z, x, y = TILE
    tile_sql, tile_params = tile_query(z, x, y)

    def tile_api() -> None:
        response = client.get(f"/tiles/reports/{z}/{x}/{y}.pbf")
        assert response.status_code == 200

    def tile_raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(tile_sql, tile_params)
            cursor.fetchone()

    # The statistics' three queries, as planning.selectors.statistics sends them.
    stats_statements: list[str] = []

    def capture() -> None:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            from planning.selectors import statistics

            statistics(filters)
        stats_statements.extend(q["sql"] for q in queries.captured_queries)

    capture()

    from django.core.cache import cache

    from planning.selectors import statistics_cache_key

    def stats_api() -> None:
        response = client.get("/api/v1/planning/stats")
        assert response.status_code == 200

    def stats_api_cold() -> None:
        cache.delete(statistics_cache_key(filters))  # what the first planner after a refresh pays
        stats_api()

    def stats_page_cold() -> None:
        cache.delete(statistics_cache_key(filters))
        response = client.get("/planung/statistik/")
        assert response.status_code == 200

    def stats_raw() -> None:
        with connection.cursor() as cursor:
            for sql in stats_statements:  # incl. the transaction and its work_mem
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    first = client.get("/api/v1/planning/bins", {"bbox": bbox, "zoom": str(zoom)}).json()
    print(
        f"whole Landkreis {bbox} at zoom {zoom}: {first['total']} reports, "
        f"{len(first['features'])} cells of {first['cell_size_m']} m"
    )
    tile_bytes = len(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf").content)
    print(f"tile {z}/{x}/{y}: {tile_bytes} bytes")

    baseline = measure(bins_raw, repeat=args.repeat)
    samples = measure(bins_api, repeat=args.repeat)
    report("heatmap bins (whole Landkreis)", samples, baseline, "raw SQL")
    baseline = measure(tile_raw, repeat=args.repeat * 3)
    samples = measure(tile_api, repeat=args.repeat * 3)
    report("vector tile z14", samples, baseline, "raw SQL")
    repeat = max(10, args.repeat // 2)
    baseline = measure(stats_raw, repeat=repeat, warmup=2)
    samples = measure(stats_api_cold, repeat=repeat, warmup=2)
    report("statistics API (uncached)", samples, baseline, "raw SQL")
    samples = measure(stats_page_cold, repeat=repeat, warmup=2)
    report("statistics page (uncached)", samples, baseline, "raw SQL")
    from planning.tasks import warm_statistics

    started = time.perf_counter()
    scopes = warm_statistics()  # what the beat task does after each refresh
    print(f"warmed the statistics of {scopes} scopes in {time.perf_counter() - started:.1f} s")

    def stats_page() -> None:
        response = client.get("/planung/statistik/")
        assert response.status_code == 200

    samples = measure(stats_page, repeat=repeat, warmup=0)
    report("statistics page (after the refresh task)", samples, baseline, "raw SQL")
    samples = measure(stats_api, repeat=repeat, warmup=0)
    report("statistics API (after the refresh task)", samples, baseline, "raw SQL")


if __name__ == "__main__":
    main()
