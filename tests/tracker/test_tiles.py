"""Vector tiles of the public reports: MVT that GDAL decodes, 400 for bad coordinates."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point
from django.test import Client

from tests.planning.conftest import Region

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
    z = 5  # one tile holds the whole region
    x, y = tile_of(10.1, 53.25, z)
    response = Client().get(f"/tiles/reports/{z}/{x}/{y}.pbf")
    layer = decode(response.content, z, x, y, tmp_path)["reports"]
    assert sum(int(feature.get("count")) for feature in layer) == 12
    assert "description" not in layer.fields


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
