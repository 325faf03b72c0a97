"""Vector tiles of the public reports: MVT that GDAL decodes, points or counted cells (busy
tiles, low zooms), 400 for bad coordinates."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client, override_settings

from tests.planning.conftest import Region
from tracker.tasks import refresh_tile_cells as refresh_task
from tracker.tiles import WORLD_METRES, refresh_tile_cells

pytestmark = pytest.mark.django_db


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def decode(body: bytes, z: int, x: int, y: int, tmp_path: Path) -> DataSource:
    # GDAL's MVT driver reads z/x/y from a path of the form …/{z}/{x}/{y}.pbf
    path = tmp_path / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    return DataSource(str(path))


def test_point_tile_decodes_with_public_fields(populated: Region, tmp_path: Path) -> None:
    z = 16
    x, y = tile_of(10.1001, 53.30005, z)
    response = Client().get(f"/tiles/reports/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert "public" in response["Cache-Control"]
    layer = decode(response.content, z, x, y, tmp_path)["reports"]
    assert len(layer) == 6
    # GDAL adds its own mvt_id; ours are exactly the public three
    assert set(layer.fields) - {"mvt_id"} == {"id", "category", "status"}
    feature = layer[0]
    assert feature.get("category") == "schlagloch"
    assert feature.get("status") == "new"
    point = feature.geom.geos
    point.transform(4326)
    assert isinstance(point, Point)
    lon, lat = point.x, point.y
    assert abs(lon - 10.1) < 0.001 and abs(lat - 53.3) < 0.001


def test_low_zoom_tile_counts_cells(populated: Region, tmp_path: Path) -> None:
    refresh_tile_cells(concurrently=False)
    z = 5  # one tile holds the whole region
    x, y = tile_of(10.1, 53.25, z)
    response = Client().get(f"/tiles/reports/{z}/{x}/{y}.pbf")
    layer = decode(response.content, z, x, y, tmp_path)["reports"]
    assert sum(int(feature.get("count")) for feature in layer) == 12
    assert "description" not in layer.fields


def cell_counts(z: int, x: int, y: int, tmp_path: Path) -> list[int]:
    response = Client().get(f"/tiles/reports/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    layer = decode(response.content, z, x, y, tmp_path / "tiles")["reports"]
    assert set(layer.fields) - {"mvt_id"} == {"count"}
    return sorted(int(feature.get("count")) for feature in layer)


@pytest.mark.parametrize("z", [8, 11, 13])
def test_cells_of_every_zoom_add_up_to_the_reports_in_the_tile(
    populated: Region, tmp_path: Path, z: int
) -> None:
    refresh_tile_cells(concurrently=False)
    x, y = tile_of(10.1, 53.3, z)
    counts = cell_counts(z, x, y, tmp_path)
    # the six potholes lie within 20 m of each other: they share cells
    assert len(counts) < sum(counts)
    # every confirmed report of the tile and of its buffer (one cell wide) is counted once
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM tracker_report
               WHERE confirmed_at IS NOT NULL
                 AND ST_Transform(location, 3857)
                     && ST_Expand(ST_TileEnvelope(%s, %s, %s), %s)""",
            [z, x, y, WORLD_METRES / 2 ** (z + 6)],
        )
        (expected,) = cursor.fetchone() or (0,)
    assert sum(counts) == expected >= 6


@override_settings(MAP_TILE_MAX_POINTS=5)
def test_a_busy_tile_carries_cells_instead_of_points(populated: Region, tmp_path: Path) -> None:
    refresh_tile_cells(concurrently=False)
    z = 16
    x, y = tile_of(10.1001, 53.30005, z)
    # six reports in the tile, more than the five allowed: counted in 38 m cells
    counts = cell_counts(z, x, y, tmp_path)
    assert sum(counts) == 6 and len(counts) < 6


@override_settings(MAP_TILE_MAX_POINTS=6)
def test_a_tile_up_to_the_limit_carries_points(populated: Region, tmp_path: Path) -> None:
    refresh_tile_cells(concurrently=False)
    z = 16
    x, y = tile_of(10.1001, 53.30005, z)
    response = Client().get(f"/tiles/reports/{z}/{x}/{y}.pbf")
    layer = decode(response.content, z, x, y, tmp_path)["reports"]
    assert len(layer) == 6
    assert {feature.get("status") for feature in layer} == {"new"}


def test_cells_count_new_reports_after_the_refresh(populated: Region, tmp_path: Path) -> None:
    refresh_tile_cells(concurrently=False)
    z = 13
    x, y = tile_of(10.1, 53.3, z)
    populated.report(populated.nord, 10.1, 53.3)
    assert sum(cell_counts(z, x, y, tmp_path / "before")) == 6
    refresh_tile_cells(concurrently=False)
    assert sum(cell_counts(z, x, y, tmp_path / "after")) == 7


def test_unconfirmed_reports_are_not_in_tiles(region: Region, tmp_path: Path) -> None:
    region.report(region.nord, 10.1, 53.3, confirmed_at=None)
    z = 16
    x, y = tile_of(10.1, 53.3, z)
    response = Client().get(f"/tiles/reports/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/reports/23/0/0.pbf",
        "/tiles/reports/-1/0/0.pbf",
        "/tiles/reports/3/8/0.pbf",
        "/tiles/reports/3/0/8.pbf",
        "/tiles/reports/3/-1/0.pbf",
        "/tiles/reports/a/b/c.pbf",
        "/tiles/reports/3/1.5/2.pbf",
    ],
)
def test_bad_tile_coordinates_are_400(db: None, path: str) -> None:
    assert Client().get(path).status_code == 400


def test_beat_recounts_the_cells(populated: Region, tmp_path: Path) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["tracker-refresh-tile-cells"]
    assert entry["schedule"] == settings.MAP_TILE_CELLS_REFRESH_SECONDS == 300
    refresh_tile_cells(concurrently=False)
    z = 12
    x, y = tile_of(10.1, 53.3, z)
    before = sum(cell_counts(z, x, y, tmp_path / "before"))
    populated.report(populated.nord, 10.1, 53.3)
    assert refresh_task.name == entry["task"]
    refresh_task.delay()  # eager in tests; CONCURRENTLY, as beat runs it
    assert sum(cell_counts(z, x, y, tmp_path / "after")) == before + 1
