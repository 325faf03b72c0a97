"""import_boundaries: GeoJSON/Shapefile/GeoPackage in, dry run by default, idempotent, repairs
geometry, merges duplicate codes, derives parents, and refuses broken files without a trace."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command

from boundaries.models import Authority, Boundary, BoundaryPiece, BoundarySet, Level
from boundaries.services import authorities_at
from tests.geodata import box_coords, convert, feature, write_geojson

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_boundaries", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[int, int, int, int]:
    return (
        Authority.objects.count(),
        BoundarySet.objects.count(),
        Boundary.objects.count(),
        BoundaryPiece.objects.count(),
    )


@pytest.fixture
def kreis_file(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "kreise.geojson",
        [feature("Polygon", box_coords(10.0, 53.0, 10.2, 53.1), ags="03353", name="Harburg")],
    )


@pytest.fixture
def gemeinden_file(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "gemeinden.geojson",
        [
            feature("Polygon", box_coords(10.0, 53.0, 10.1, 53.1), ags="03353001", name="West"),
            feature("Polygon", box_coords(10.1, 53.0, 10.2, 53.1), ags="03353002", name="Ost"),
            # VG250 style: a water part of "Ost" as a separate feature with the same AGS.
            feature(
                "Polygon", box_coords(10.2, 53.0, 10.25, 53.1), ags="03353002", name="Ost", pop=0
            ),
        ],
    )


def test_dry_run_reports_and_stores_nothing(gemeinden_file: Path) -> None:
    output = run(str(gemeinden_file), "--level", "gemeinde")
    assert "DRY RUN" in output
    assert "features read:            3" in output
    assert "territories (by code):    2" in output
    assert "duplicates merged:        1" in output
    assert snapshot() == (0, 0, 0, 0)


def test_commit_creates_authorities_merges_duplicates_and_activates(
    kreis_file: Path, gemeinden_file: Path
) -> None:
    run(str(kreis_file), "--level", "kreis", "--commit")
    output = run(str(gemeinden_file), "--level", "gemeinde", "--parent-level", "kreis", "--commit")
    assert "parents: 2 by code" in output
    kreis = Authority.objects.get(level=Level.KREIS, ags="03353")
    ost = Authority.objects.get(level=Level.GEMEINDE, ags="03353002")
    assert ost.parent == kreis
    # the merged water part is Ost's too, and the first set of a level is activated
    assert {a.name for a in authorities_at(Point(10.22, 53.05, srid=4326))} == {"Ost"}
    assert BoundarySet.objects.get(level=Level.GEMEINDE).is_active
    assert Boundary.objects.filter(authority=ost).count() == 1


def test_reimport_is_idempotent(gemeinden_file: Path) -> None:
    run(str(gemeinden_file), "--level", "gemeinde", "--commit")
    before = snapshot()
    output = run(str(gemeinden_file), "--level", "gemeinde", "--commit")
    assert "authorities unchanged:    2" in output
    assert "authorities created:      0" in output
    assert snapshot() == before


def test_invalid_geometry_is_repaired(tmp_path: Path) -> None:
    bowtie = [[[10.0, 53.0], [10.1, 53.1], [10.1, 53.0], [10.0, 53.1], [10.0, 53.0]]]
    path = write_geojson(
        tmp_path / "bowtie.geojson", [feature("Polygon", bowtie, ags="03353003", name="Schleife")]
    )
    output = run(str(path), "--level", "gemeinde", "--commit")
    assert "geometries repaired:      1" in output
    boundary = Boundary.objects.get()
    assert boundary.geom.valid
    # both triangles of the bow tie survived the repair
    assert {a.name for a in authorities_at(Point(10.01, 53.05, srid=4326))} == {"Schleife"}
    assert {a.name for a in authorities_at(Point(10.09, 53.05, srid=4326))} == {"Schleife"}


def test_a_new_set_does_not_replace_the_active_one_until_activated(
    tmp_path: Path, gemeinden_file: Path
) -> None:
    run(str(gemeinden_file), "--level", "gemeinde", "--set", "2024", "--commit")
    renamed = write_geojson(
        tmp_path / "neu.geojson",
        [feature("Polygon", box_coords(10.0, 53.0, 10.2, 53.1), ags="03353001", name="Fusion")],
    )
    output = run(str(renamed), "--level", "gemeinde", "--set", "2025", "--commit")
    assert "set not activated" in output
    assert {a.name for a in authorities_at(Point(10.15, 53.05, srid=4326))} == {"Ost"}
    run(str(renamed), "--level", "gemeinde", "--set", "2025", "--activate", "--commit")
    assert {a.name for a in authorities_at(Point(10.15, 53.05, srid=4326))} == {"Fusion"}
    # the old set is kept (reports routed with it keep their authority)
    assert BoundarySet.objects.get(name="2024").boundaries.count() == 2


def test_shapefile_in_utm_and_geopackage(tmp_path: Path, gemeinden_file: Path) -> None:
    shp = convert(gemeinden_file, tmp_path / "gemeinden.shp", "-t_srs", "EPSG:25832")
    run(str(shp), "--level", "gemeinde", "--set", "shp", "--commit")
    assert {a.name for a in authorities_at(Point(10.05, 53.05, srid=4326))} == {"West"}
    gpkg = convert(gemeinden_file, tmp_path / "gemeinden.gpkg", "-f", "GPKG")
    output = run(str(gpkg), "--level", "gemeinde", "--set", "gpkg", "--commit")
    assert "authorities unchanged:    2" in output


def test_where_filter_and_samtgemeinde_parents_by_containment(tmp_path: Path) -> None:
    sg = write_geojson(
        tmp_path / "vg.geojson",
        [
            feature(
                "Polygon",
                box_coords(10.0, 53.0, 10.1, 53.1),
                vb_ars="033535401",
                vb_name="SG Hollenstedt",
                vb_type="Samtgemeinde",
            ),
            feature(
                "Polygon",
                box_coords(10.1, 53.0, 10.2, 53.1),
                vb_ars="033530002",
                vb_name="Ost",
                vb_type="Verbandsfreie Gemeinde",
            ),
        ],
    )
    args = ["--level", "samtgemeinde", "--code-field", "vb_ars", "--name-field", "vb_name"]
    run(str(sg), *args, "--where", "vb_type=Samtgemeinde", "--commit")
    samtgemeinde = Authority.objects.get(level=Level.SAMTGEMEINDE)
    assert samtgemeinde.ars == "033535401"
    members = write_geojson(
        tmp_path / "g.geojson",
        [
            feature("Polygon", box_coords(10.0, 53.0, 10.05, 53.1), ags="03353101", name="A"),
            feature("Polygon", box_coords(10.05, 53.0, 10.1, 53.1), ags="03353102", name="B"),
            feature("Polygon", box_coords(10.1, 53.0, 10.2, 53.1), ags="03353002", name="Ost"),
        ],
    )
    output = run(str(members), "--level", "gemeinde", "--parent-level", "samtgemeinde", "--commit")
    assert "parents: 0 by code, 2 by containment, 1 not found" in output
    assert set(samtgemeinde.children.values_list("name", flat=True)) == {"A", "B"}


BROKEN = {
    "bad json": ('{"type": "FeatureCollection", "features": [', "not a readable"),
    "empty file": ("", "empty"),
    "wrong geometry": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"ags":"03353001","name":"X"},"geometry":{"type":"LineString",'
        '"coordinates":[[10,53],[10.1,53.1]]}}]}',
        "is a LineString; expected Polygon or MultiPolygon",
    ),
    "missing code field": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"name":"X"},"geometry":{"type":"Polygon","coordinates":'
        "[[[10,53],[10.1,53],[10.1,53.1],[10,53]]]}}]}",
        "field(s) ags not found; the layer",
    ),
    "bad code": (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"ags":"3353001","name":"X"},"geometry":{"type":"Polygon","coordinates":'
        "[[[10,53],[10.1,53],[10.1,53.1],[10,53]]]}}]}",
        "not a 8-digit AGS",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_fails_clearly_and_leaves_the_database_untouched(
    case: str, tmp_path: Path, gemeinden_file: Path
) -> None:
    run(str(gemeinden_file), "--level", "gemeinde", "--commit")
    before = snapshot()
    content, message = BROKEN[case]
    path = tmp_path / "broken.geojson"
    path.write_text(content)
    with pytest.raises(CommandError) as excinfo:
        run(str(path), "--level", "gemeinde", "--set", "gemeinde-gemeinden", "--commit")
    assert message in str(excinfo.value)
    assert "Nothing was stored" in str(excinfo.value)
    assert snapshot() == before
    assert {a.name for a in authorities_at(Point(10.05, 53.05, srid=4326))} == {"West"}


def test_missing_file_and_wrong_level_of_existing_set(tmp_path: Path, kreis_file: Path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        run(str(tmp_path / "nope.geojson"), "--level", "gemeinde")
    run(str(kreis_file), "--level", "kreis", "--set", "shared", "--commit")
    land = write_geojson(
        tmp_path / "land.geojson",
        [feature("Polygon", box_coords(9.0, 52.0, 11.0, 54.0), ags="03", name="Niedersachsen")],
    )
    with pytest.raises(CommandError, match="holds level kreis"):
        run(str(land), "--level", "land", "--set", "shared", "--commit")
    assert not Authority.objects.filter(level=Level.LAND).exists()
