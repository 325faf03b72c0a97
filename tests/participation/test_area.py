"""The plan area comes from GeoJSON, a zipped Shapefile, a GeoPackage or XPlanung GML (read
by GDAL, reprojected to WGS84); invalid polygons are repaired with ST_MakeValid, broken ones
and wrong files are refused with a clear message and nothing is stored — by the management
command and by the staff's upload form alike."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from participation.area import AreaRejected, read_area
from participation.models import Plan

from .conftest import AREA

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
# The same rectangle in ETRS89 / UTM 32N (metres), about 300 m by 200 m = 6 ha.
UTM_RING = [
    [593000, 5900000],
    [593300, 5900000],
    [593300, 5900200],
    [593000, 5900200],
    [593000, 5900000],
]


def _collection(geometry: dict, crs: str | None = None) -> dict:
    data: dict = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "B-Plan 12"}, "geometry": geometry}
        ],
    }
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data


def _write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def utm_geojson(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "area.geojson",
        _collection({"type": "Polygon", "coordinates": [UTM_RING]}, "urn:ogc:def:crs:EPSG::25832"),
    )


def _ogr2ogr(driver: str, target: Path, source: Path) -> None:
    ogr2ogr = shutil.which("ogr2ogr")
    assert ogr2ogr, "gdal-bin (ogr2ogr) is part of the set-up"
    subprocess.run([ogr2ogr, "-f", driver, str(target), str(source)], check=True)  # noqa: S603


def _assert_rectangle(geom: MultiPolygon) -> None:
    west, south, east, north = geom.extent
    assert geom.srid == 4326 and geom.valid
    assert 10.39 < west < east < 10.40 and 53.24 < south < north < 53.244


def test_geojson_in_utm_is_reprojected(utm_geojson: Path) -> None:
    result = read_area(utm_geojson)
    _assert_rectangle(result.geom)
    assert 5.9 < result.hectares < 6.1 and result.repaired == []


def test_zipped_shapefile(tmp_path: Path, utm_geojson: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    _ogr2ogr("ESRI Shapefile", folder / "geltungsbereich.shp", utm_geojson)
    archive = tmp_path / "geltungsbereich.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    assert {p.suffix for p in folder.iterdir()} >= {".shp", ".shx", ".dbf", ".prj"}
    result = read_area(archive)
    _assert_rectangle(result.geom)
    assert result.layer == "geltungsbereich"


def test_geopackage(tmp_path: Path, utm_geojson: Path) -> None:
    target = tmp_path / "plan.gpkg"
    _ogr2ogr("GPKG", target, utm_geojson)
    _assert_rectangle(read_area(target).geom)


def test_xplanung_gml_takes_the_bp_plan_area(tmp_path: Path) -> None:
    """An XPlanung 5.4 file: BP_Plan's raeumlicherGeltungsbereich (MultiSurface in
    EPSG:25832) is the area; the BP_BaugebietsTeilFlaeche inside is not."""
    copy = tmp_path / "bplan.gml"
    shutil.copy(HERE / "xplan_bp_plan.gml", copy)
    result = read_area(copy)
    assert result.layer == "BP_Plan"
    _assert_rectangle(result.geom)
    assert 5.9 < result.hectares < 6.1


def test_self_intersecting_polygon_is_repaired(tmp_path: Path) -> None:
    bowtie = [[10.40, 53.25], [10.404, 53.252], [10.404, 53.25], [10.40, 53.252], [10.40, 53.25]]
    path = _write(
        tmp_path / "bowtie.geojson", _collection({"type": "Polygon", "coordinates": [bowtie]})
    )
    result = read_area(path)
    assert result.geom.valid and len(result.geom) == 2
    assert "Objekt 1 repariert (Self-intersection" in result.repaired[0]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            {
                "type": "Polygon",
                "coordinates": [[[10.40, 53.25], [10.404, 53.25], [10.404, 53.252]]],
            },
            "ist beschädigt (zu wenige Punkte oder nicht geschlossen)",
        ),
        (
            {"type": "LineString", "coordinates": [[10.40, 53.25], [10.404, 53.25]]},
            "enthält keine Flächen",
        ),
        (
            {"type": "Polygon", "coordinates": [UTM_RING]},  # metres without saying so
            "liegt nicht in Deutschland",
        ),
    ],
)
def test_broken_or_wrong_geometry_is_refused(tmp_path: Path, geometry: dict, message: str) -> None:
    path = _write(tmp_path / "broken.geojson", _collection(geometry))
    with pytest.raises(AreaRejected) as refused:
        read_area(path)
    assert message in refused.value.message


def test_not_a_geo_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.geojson"
    path.write_text("Das ist kein GeoJSON", encoding="utf-8")
    with pytest.raises(AreaRejected, match="kann nicht gelesen werden"):
        read_area(path)


def test_command_is_a_dry_run_unless_commit(
    plan: Plan, utm_geojson: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Plan.objects.filter(pk=plan.pk).update(area=None)
    call_command("import_plan_area", str(plan.pk), str(utm_geojson))
    assert "dry run" in capsys.readouterr().out
    plan.refresh_from_db()
    assert plan.area is None
    call_command("import_plan_area", str(plan.pk), str(utm_geojson), "--commit")
    plan.refresh_from_db()
    assert plan.area is not None
    _assert_rectangle(plan.area)


def test_command_refuses_broken_files_and_keeps_the_old_area(plan: Plan, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "broken.geojson",
        _collection(
            {"type": "Polygon", "coordinates": [[[10.4, 53.25], [10.5, 53.25], [10.4, 53.25]]]}
        ),
    )
    with pytest.raises(CommandError, match="Nothing was stored"):
        call_command("import_plan_area", str(plan.pk), str(path), "--commit")
    plan.refresh_from_db()
    assert plan.area is not None and plan.area.equals(AREA)


def test_staff_upload_form(client: Client, plan: Plan, planner: User, utm_geojson: Path) -> None:
    client.force_login(planner)
    url = f"/beteiligung/arbeit/{plan.pk}/"
    broken = json.dumps(
        _collection(
            {"type": "Polygon", "coordinates": [[[10.4, 53.25], [10.5, 53.25], [10.4, 53.25]]]}
        )
    ).encode()
    page = client.post(
        url,
        {
            "action": "area",
            "file": SimpleUploadedFile("bplan.geojson", broken, "application/geo+json"),
        },
    )
    assert page.status_code == 400 and "ist beschädigt" in page.content.decode()
    plan.refresh_from_db()
    assert plan.area is not None and plan.area.equals(AREA)
    page = client.post(url, {"action": "area", "file": SimpleUploadedFile("plan.docx", b"PK..")})
    assert page.status_code == 400 and "wird nicht angenommen" in page.content.decode()
    upload = SimpleUploadedFile("bplan.geojson", utm_geojson.read_bytes(), "application/geo+json")
    page = client.post(url, {"action": "area", "file": upload}, follow=True)
    assert "Geltungsbereich gespeichert: 6.00 ha" in page.content.decode().replace(",", ".")
    plan.refresh_from_db()
    assert plan.area is not None
    _assert_rectangle(plan.area)
