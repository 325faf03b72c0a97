"""Routing benchmark on real boundaries: all ~990 Lower Saxony Gemeinde polygons (BKG VG250).

    .venv/bin/python bench/routing.py [--points 100000] [--repeat 200]

Needs ../shared/geodata (or MM_GEODATA=path). Imports the Gemeinden into the bench database once,
then measures
  * bulk: route_many() for N random points in Lk Harburg, Lüneburg and Heidekreis, against a
    plain indexed PostGIS join of the same points with the unsubdivided polygons (the raw
    baseline, measured in the same run; target: within 1.5x);
  * single: GET /api/v1/locate (Django test client, in-process) p50/p95, against GET /healthz.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from bench.common import ROOT, measure, percentile, setup_django

GEODATA = Path(os.environ.get("MM_GEODATA", ROOT.parent / "shared" / "geodata"))
NI_GEMEINDEN = GEODATA / "gemeinden" / "vg250ew_gemeinden_03_niedersachsen.geojson"
SET_NAME = "bench-ni-gemeinden"
TARGET_KREISE = ("03353", "03355", "03358")  # Harburg, Lüneburg, Heidekreis


def ensure_boundaries() -> None:
    from django.core.management import call_command

    from boundaries.models import BoundarySet

    existing = BoundarySet.objects.filter(name=SET_NAME).first()
    if existing is not None and existing.is_active:
        return
    started = time.perf_counter()
    call_command(
        "import_boundaries",
        str(NI_GEMEINDEN),
        level="gemeinde",
        code_field="ags",
        name_field="name",
        set=SET_NAME,
        activate=True,
        commit=True,
        verbosity=0,
    )
    print(f"imported NI Gemeinden in {time.perf_counter() - started:.1f} s")


def prepare_points(count: int) -> tuple[list[float], list[float]]:
    """Random points inside the three target Kreise (union of their Gemeinden), stored in
    a table for the raw join and returned as coordinate lists for the service."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_points")
        cursor.execute(
            """
            CREATE TABLE bench_points AS
            SELECT row_number() OVER () AS id, (ST_Dump(ST_GeneratePoints(area, %s, 42))).geom
            FROM (SELECT ST_Union(b.geom) AS area
                  FROM boundaries_boundary b
                  JOIN boundaries_boundaryset s ON s.id = b.boundary_set_id
                  JOIN boundaries_authority a ON a.id = b.authority_id
                  WHERE s.name = %s AND left(a.ags, 5) = ANY(%s)) AS t
            """,
            [count, SET_NAME, list(TARGET_KREISE)],
        )
        # The raw baseline: the same polygons, not subdivided, in a plain table with a GiST index.
        cursor.execute("DROP TABLE IF EXISTS bench_raw_gemeinden")
        cursor.execute(
            """
            CREATE TABLE bench_raw_gemeinden AS
            SELECT a.ags, b.geom FROM boundaries_boundary b
            JOIN boundaries_boundaryset s ON s.id = b.boundary_set_id
            JOIN boundaries_authority a ON a.id = b.authority_id
            WHERE s.name = %s
            """,
            [SET_NAME],
        )
        cursor.execute("CREATE INDEX ON bench_raw_gemeinden USING gist (geom)")
        cursor.execute("ANALYZE bench_raw_gemeinden")
        cursor.execute("ANALYZE bench_points")
        cursor.execute("SELECT ST_X(geom), ST_Y(geom) FROM bench_points ORDER BY id")
        rows = cursor.fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def raw_join() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, g.ags FROM bench_points p "
            "JOIN bench_raw_gemeinden g ON ST_Covers(g.geom, p.geom)"
        )
        return len(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    if not NI_GEMEINDEN.exists():
        raise SystemExit(f"{NI_GEMEINDEN} not found: set MM_GEODATA to the geodata folder")
    setup_django()
    from django.test import Client

    from boundaries.models import Level
    from boundaries.services import route_many

    ensure_boundaries()
    lons, lats = prepare_points(args.points)

    # Bulk: best of three runs each, the raw join first so both see warm caches.
    raw_times, service_times = [], []
    for _ in range(3):
        started = time.perf_counter()
        matched_raw = raw_join()
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        routed = route_many(lons, lats, Level.GEMEINDE)
        service_times.append(time.perf_counter() - started)
    unrouted = sum(1 for r in routed if r is None)
    raw_us = min(raw_times) / len(lons) * 1e6
    service_us = min(service_times) / len(lons) * 1e6
    print(
        f"bulk route {len(lons)} points: {service_us:.1f} us/point "
        f"(ratio {service_us / raw_us:.2f} vs raw PostGIS join {raw_us:.1f} us/point; "
        f"{matched_raw} raw matches, {unrouted} unrouted)"
    )

    # Single requests through the API.
    client = Client()
    rng = random.Random(7)
    sample = rng.sample(range(len(lons)), k=min(len(lons), 1000))
    state = {"i": 0}

    def locate() -> None:
        index = sample[state["i"] % len(sample)]
        state["i"] += 1
        response = client.get("/api/v1/locate", {"lat": str(lats[index]), "lon": str(lons[index])})
        assert response.status_code == 200, response.content[:200]

    def healthz() -> None:
        assert client.get("/healthz").status_code == 200

    baseline = measure(healthz, repeat=args.repeat)
    samples = measure(locate, repeat=args.repeat)
    for pct in (50, 95):
        ours, base = percentile(samples, pct), percentile(baseline, pct)
        print(f"locate p{pct}: {ours:.2f} ms (ratio {ours / base:.2f} vs /healthz {base:.2f} ms)")


if __name__ == "__main__":
    main()
