"""Base-map benchmark: our vector tiles (`/tiles/base/{z}/{x}/{y}.pbf`) at county and street
zoom against the raw `ST_AsMVT` query, measured in the same run; and the cached tile.

    .venv/bin/python bench/basemap.py [--repeat 40] [--copies 1]

Data (imported once into the bench database): the BKG VG250 Gemeinden and Kreise of Heidelberg
and the Rhein-Neckar-Kreis and the OpenStreetMap road sample of Heidelberg (11,131 ways) from
`../shared/geodata` (or $MM_GEODATA), through the same import commands a county uses.
`--copies N` adds N-1 shifted copies of the roads (0.25° east each) for a bigger network.
Targets: uncached tile ≤ 1.3x the raw query, cached tile ≤ 5 ms. Requests go straight into
Django's WSGI application as gunicorn hands them over (bench.common.WSGIClient).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, WSGIClient, percentile, report, setup_django

GEODATA = Path(os.environ.get("MM_GEODATA", ROOT.parent / "shared" / "geodata"))
GEMEINDEN = GEODATA / "gemeinden" / "vg250ew_gemeinden_08_baden-wuerttemberg.geojson"
KREISE = GEODATA / "kreise" / "vg250ew_kreise_derived_01-02-03-04-06-08-13.geojson"
ROADS = GEODATA / "roads" / "osm_roads_heidelberg_ors-testdata.geojson"
KREIS_AGS = ("08221", "08226")  # Heidelberg, Rhein-Neckar-Kreis
SOURCE = "bench-basemap"
CENTRE = (8.69, 49.405)  # Heidelberg, Bismarckplatz
# (label, MapLibre zoom, tiles per side around the centre)
ZOOMS = (("county z9", 9, 2), ("town z12", 12, 2), ("street z15", 15, 3))


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tiles_around(z: int, side: int) -> list[tuple[int, int, int]]:
    cx, cy = tile_of(*CENTRE, z)
    half = side // 2
    steps = range(-half, side - half)
    return [(z, cx + dx, cy + dy) for dx in steps for dy in steps]


def _filtered(path: Path, keep: object, folder: str) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if keep(f["properties"])]  # type: ignore[operator]
    out = Path(folder) / path.name
    out.write_text(json.dumps(data), encoding="utf-8")
    return str(out)


def ensure_data(copies: int) -> None:
    from django.core.management import call_command

    from geo.models import RoadSegment

    if not RoadSegment.objects.filter(source=SOURCE).exists():
        with tempfile.TemporaryDirectory() as folder:
            kreise = _filtered(KREISE, lambda p: p["ags"] in KREIS_AGS, folder)
            gemeinden = _filtered(GEMEINDEN, lambda p: p["ags"][:5] in KREIS_AGS, folder)
            call_command("import_boundaries", kreise, level="kreis", commit=True, verbosity=0)
            call_command(
                "import_boundaries", gemeinden, level="gemeinde", parent_level="kreis",
                commit=True, verbosity=0,
            )  # fmt: skip
        call_command("import_roads", str(ROADS), source=SOURCE, commit=True, verbosity=0)
    have = 1 + RoadSegment.objects.filter(source__startswith=SOURCE + "-copy").count() // max(
        1, RoadSegment.objects.filter(source=SOURCE).count()
    )
    from django.db import connection

    with connection.cursor() as cursor:
        for copy in range(have, copies):
            cursor.execute(
                """INSERT INTO geo_roadsegment (geom, road_class, ref, name, ortsdurchfahrt,
                                                external_id, source)
                   SELECT ST_Translate(geom, %s, 0), road_class, ref, name, ortsdurchfahrt,
                          external_id || '-copy' || %s, %s
                   FROM geo_roadsegment WHERE source = %s""",
                [0.25 * copy, copy, f"{SOURCE}-copy{copy}", SOURCE],
            )
        cursor.execute("ANALYZE geo_roadsegment")


def run(label: str, tiles: list[tuple[int, int, int]], repeat: int) -> None:
    from django.core.cache import cache

    from boundaries.basemap import data_version, render_tile

    client = WSGIClient()
    raw: list[float] = []
    uncached: list[float] = []
    cached: list[float] = []
    sizes: list[float] = []
    for _ in range(repeat):
        for z, x, y in tiles:
            url = f"/tiles/base/{z}/{x}/{y}.pbf"
            start = time.perf_counter()
            sizes.append(len(render_tile(z, x, y)))
            raw.append((time.perf_counter() - start) * 1000)
            cache.delete(f"basemap:{data_version()}:{z}/{x}/{y}")
            start = time.perf_counter()
            client.get(url)
            uncached.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            client.get(url)
            cached.append((time.perf_counter() - start) * 1000)
    print(f"{label}: {len(tiles)} tiles, median {int(percentile(sizes, 50))} bytes")
    report(f"{label} tile (uncached view)", uncached, raw, "raw ST_AsMVT")
    report(f"{label} tile (cached view)", cached, raw, "raw ST_AsMVT")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    started = time.perf_counter()
    ensure_data(args.copies)
    from geo.models import RoadSegment

    print(f"data ready in {time.perf_counter() - started:.1f} s: "
          f"{RoadSegment.objects.count()} road segments")  # fmt: skip
    for label, z, side in ZOOMS:
        run(label, tiles_around(z, side), args.repeat)


if __name__ == "__main__":
    main()
