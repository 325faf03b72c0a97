"""import_roads / import_assets (boundaries.network_import): class from ref, owner from the
boundaries, idempotent, strict."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from boundaries.models import Level, RoadAuthority
from geo.models import Asset, RoadSegment
from tests.factories import AuthorityFactory, box, territory
from tests.geodata import feature, write_geojson

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> dict:
    land = territory("Land", Level.LAND, box(9.0, 52.0, 11.0, 54.0), ags="03")
    kreis = territory("Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="03353")
    west = territory("West", Level.GEMEINDE, box(10.0, 53.0, 10.1, 53.1), ags="03353001")
    east = territory("Ost", Level.GEMEINDE, box(10.1, 53.0, 10.2, 53.1), ags="03353002")
    nlstbv = AuthorityFactory.create(name="NLStBV", level=Level.OPERATOR)
    RoadAuthority.objects.create(road_class="B", territory=land, authority=nlstbv)
    return {"kreis": kreis, "west": west, "east": east, "nlstbv": nlstbv}


def roads_file(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "roads.geojson",
        [
            feature(
                "LineString",
                [[10.02, 53.05], [10.18, 53.05]],
                osm_id="way/1",
                highway="tertiary",
                ref="K45",
                name="Kreisweg",
            ),
            feature(
                "LineString",
                [[10.12, 53.02], [10.14, 53.02]],
                osm_id="way/2",
                highway="residential",
                ref=None,
                name="Dorfstraße",
            ),
            feature(
                "MultiLineString",
                [[[10.03, 53.08], [10.05, 53.08]], [[10.05, 53.08], [10.07, 53.08]]],
                osm_id="way/3",
                highway="primary",
                ref="B 37;B 38",
                name="",
            ),
        ],
    )


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_roads_get_class_and_owner_and_reimport_changes_nothing(
    tmp_path: Path, region: dict
) -> None:
    path = roads_file(tmp_path)
    assert "DRY RUN" in run("import_roads", str(path))
    assert not RoadSegment.objects.exists()
    run("import_roads", str(path), "--commit")
    segments = {s.external_id: s for s in RoadSegment.objects.all()}
    assert set(segments) == {"osm:way/1", "osm:way/2", "osm:way/3#1", "osm:way/3#2"}
    assert segments["osm:way/1"].ref == "K 45"
    assert segments["osm:way/1"].owner == region["kreis"]
    assert segments["osm:way/2"].road_class == "G"
    assert segments["osm:way/2"].owner == region["east"]
    assert segments["osm:way/3#1"].road_class == "B"
    assert segments["osm:way/3#1"].owner == region["nlstbv"]
    output = run("import_roads", str(path), "--commit")
    assert "unchanged:       4" in output
    assert RoadSegment.objects.count() == 4


def test_roads_outside_the_boundaries_have_no_owner(tmp_path: Path, region: dict) -> None:
    path = write_geojson(
        tmp_path / "far.geojson",
        [feature("LineString", [[8.0, 50.0], [8.1, 50.0]], osm_id="way/9", ref="K 1")],
    )
    assert "without owner:   1" in run("import_roads", str(path), "--commit")
    assert RoadSegment.objects.get().owner is None


def test_broken_road_files_are_refused(tmp_path: Path, region: dict) -> None:
    run("import_roads", str(roads_file(tmp_path)), "--commit")
    points = write_geojson(
        tmp_path / "points.geojson", [feature("Point", [10.05, 53.05], osm_id="node/1", ref="K 1")]
    )
    with pytest.raises(CommandError, match="is a Point; expected LineString"):
        run("import_roads", str(points), "--commit")
    duplicated = write_geojson(
        tmp_path / "dup.geojson",
        [
            feature("LineString", [[10.0, 53.0], [10.1, 53.0]], osm_id="way/1", ref="K 2"),
            feature("LineString", [[10.0, 53.01], [10.1, 53.01]], osm_id="way/1", ref="K 2"),
        ],
    )
    with pytest.raises(CommandError, match="share an id"):
        run("import_roads", str(duplicated), "--commit")
    assert RoadSegment.objects.get(external_id="osm:way/1").ref == "K 45"


def test_assets_get_the_covering_gemeinde_or_the_given_owner(tmp_path: Path, region: dict) -> None:
    path = write_geojson(
        tmp_path / "lights.geojson",
        [
            feature("Point", [10.05, 53.05], id="L-1", name="Mast 1"),
            feature("Point", [10.15, 53.05], id="L-2", name="Mast 2"),
        ],
    )
    run("import_assets", str(path), "--type", "streetlight", "--commit")
    owners = dict(Asset.objects.values_list("external_id", "owner__name"))
    assert owners == {"L-1": "West", "L-2": "Ost"}
    utility = AuthorityFactory.create(name="Stadtwerke", slug="stadtwerke", level=Level.OPERATOR)
    output = run(
        "import_assets", str(path), "--type", "streetlight", "--owner", "stadtwerke", "--commit"
    )
    assert "updated:         2" in output
    assert set(Asset.objects.values_list("owner", flat=True)) == {utility.pk}


def test_assets_with_a_type_field_and_bad_types(tmp_path: Path, region: dict) -> None:
    path = write_geojson(
        tmp_path / "mixed.geojson",
        [
            feature("Point", [10.05, 53.05], id="1", kind="bench"),
            feature(
                "Polygon",
                [[[10.11, 53.01], [10.12, 53.01], [10.12, 53.02], [10.11, 53.01]]],
                id="2",
                kind="playground",
            ),
        ],
    )
    run("import_assets", str(path), "--type-field", "kind", "--commit")
    assert set(Asset.objects.values_list("asset_type", flat=True)) == {"bench", "playground"}
    bad = write_geojson(
        tmp_path / "bad.geojson", [feature("Point", [10.05, 53.05], id="3", kind="ufo")]
    )
    with pytest.raises(CommandError, match="unknown type 'ufo'"):
        run("import_assets", str(bad), "--type-field", "kind", "--commit")
    with pytest.raises(CommandError, match="no authority with slug"):
        run("import_assets", str(path), "--type", "bench", "--owner", "nobody")
    assert Asset.objects.count() == 2
