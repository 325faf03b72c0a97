"""Map read benchmark: the public GeoJSON endpoint for a town-level viewport, 1M reports.

    .venv/bin/python bench/map_read.py [--reports 1000000] [--repeat 50]

Generates the reports once (in the bench database, via SQL) and reuses them on later runs.
Baseline: the fastest raw SQL for the same answer (the JSON built by PostGIS, newest first,
keyset-ready, only the columns shown) through psycopg directly, interleaved with the endpoint's
calls in the same run. Target: p95 under 50 ms and within 1.2x of that baseline.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench.common import (
    measure_interleaved,
    percentile,
    raw_connection,
    report,
    secondary_indexes_dropped,
    setup_django,
)

# The region the reports are spread over (the demo region's area in the Lüneburger Heide),
# and a typical town-level viewport inside it (about 4 km x 4 km).
REGION = (9.9, 53.15, 10.3, 53.40)
TOWN_VIEWPORT = (10.07, 53.26, 10.13, 53.295)
TOWNS = [(10.1, 53.28), (9.98, 53.2), (10.22, 53.33), (10.0, 53.36), (10.25, 53.19), (10.15, 53.22)]


# Half spread uniformly, half around six towns (normal-ish, sigma ~ 3 km), over 3 years.
GENERATE_REPORTS = """
    INSERT INTO tracker_report (
        category_id, location, address, description, status, authority_id,
        routing_reason, routing_detail, reporter_email, reporter_name, reporter_phone,
        language, confirmed_at, confirmation_token, tracking_token, source,
        supporter_count, created_at, updated_at, priority,
        description_state, original_description, description_is_clean)
    SELECT (%(categories)s::bigint[])[1 + (i %% array_length(%(categories)s::bigint[], 1))],
           CASE WHEN i %% 2 = 0 THEN
               ST_SetSRID(ST_MakePoint(
                   %(min_lon)s + random() * (%(max_lon)s - %(min_lon)s),
                   %(min_lat)s + random() * (%(max_lat)s - %(min_lat)s)), 4326)
           ELSE
               -- sum of three uniforms: a cheap bell curve around the town centre
               ST_SetSRID(ST_MakePoint(
                   (%(towns_lon)s::float8[])[1 + (i %% 6)]
                       + (random() + random() + random() - 1.5) * 0.05,
                   (%(towns_lat)s::float8[])[1 + (i %% 6)]
                       + (random() + random() + random() - 1.5) * 0.03),
               4326)
           END,
           '', 'Schlagloch vor Hausnummer ' || i,
           (ARRAY['new', 'in_review', 'planned', 'in_progress', 'done', 'rejected'])
               [1 + (i %% 6)],
           %(authority)s, 'boundary', 'Bench', 'bench@example.org', '', '', 'de',
           now() - (random() * interval '1095 days'),
           'c' || i || '-' || md5(random()::text), 't' || i || '-' || md5(random()::text),
           'web', (random() * 3)::int,
           now() - (random() * interval '1095 days'), now(), 1 + (i %% 4),
           '', '', false
    FROM generate_series(1, %(n)s) AS i
    """


def generator_params(missing: int) -> dict[str, Any]:
    """The generator's parameters: the bench authority and categories (created once), the
    region, the towns and how many reports to add."""
    from boundaries.models import Authority, Level
    from tracker.models import Category

    authority, _ = Authority.objects.get_or_create(
        slug="bench-kreis", defaults={"name": "Bench-Kreis", "level": Level.KREIS}
    )
    categories = [
        Category.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})[0].pk
        for i in range(8)
    ]
    min_lon, min_lat, max_lon, max_lat = REGION
    return {
        "categories": categories,
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "towns_lon": [t[0] for t in TOWNS],
        "towns_lat": [t[1] for t in TOWNS],
        "authority": authority.pk,
        "n": missing,
    }


def ensure_reports(count: int) -> None:
    """At least `count` reports in the bench database: the missing ones generated in SQL."""
    from django.db import connection

    from tracker.models import Report

    existing = Report.objects.count()
    if existing >= count:
        print(f"reports present: {existing}")
        return
    missing = count - existing
    params = generator_params(missing)
    started = time.perf_counter()
    with connection.cursor() as cursor, secondary_indexes_dropped(cursor, "tracker_report"):
        cursor.execute(GENERATE_REPORTS, params)
    # what autovacuum would do after a bulk load: hint bits, visibility map, statistics
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE tracker_report")
    print(f"generated {missing} reports in {time.perf_counter() - started:.1f} s")


def raw_runner(sql: str, params: dict[str, Any], *settings: str) -> Any:
    raw = raw_connection(*settings)

    def run() -> None:
        raw.execute(sql, params).fetchone()

    return run


def describe(bbox: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM tracker_report WHERE confirmed_at IS NOT NULL "
            "AND location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
            TOWN_VIEWPORT,
        )
        (in_view,) = cursor.fetchone() or (0,)
    print(f"viewport {bbox}: {in_view} reports, first page of 500")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from tracker import map_geojson

    ensure_reports(args.reports)
    client = Client()
    bbox = ",".join(str(v) for v in TOWN_VIEWPORT)
    describe(bbox)
    # The raw baseline is the endpoint's own statement (PostGIS builds the JSON; the
    # newest-first index walk, keyset-ready), run through psycopg directly; and the same
    # statement with the planner kept to the GiST index (bitmap scan + top-N sort), the
    # other plan a viewport query can take. The faster of the two is the baseline.
    sql, params = map_geojson.page_query(
        map_geojson.PublicFilters(bbox=TOWN_VIEWPORT),
        language="de",
        size=500,
        prefix=map_geojson.media_prefix() or "",
    )
    walk = raw_runner(sql, params)
    gist = raw_runner(sql, params, "SET enable_indexscan = off", "SET enable_indexonlyscan = off")
    first = client.get("/api/v1/reports", {"bbox": bbox})
    print(f"page: {len(first.json()['features'])} features, {len(first.content)} bytes")

    def api() -> None:
        response = client.get("/api/v1/reports", {"bbox": bbox})
        assert response.status_code == 200, response.content[:200]

    samples = measure_interleaved({"api": api, "walk": walk, "gist": gist}, repeat=args.repeat)
    for name, label in (("walk", "index walk"), ("gist", "GiST bitmap + top-N")):
        print(
            f"raw SQL ({label}) p50 {percentile(samples[name], 50):.2f} ms, "
            f"p95 {percentile(samples[name], 95):.2f} ms"
        )
    best = min(("walk", "gist"), key=lambda name: percentile(samples[name], 50))
    report("reports bbox GeoJSON", samples["api"], samples[best], "best raw SQL")


if __name__ == "__main__":
    main()
