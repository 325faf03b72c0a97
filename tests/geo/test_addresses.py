"""`manage.py import_addresses`: house coordinates from GeoJSON (OSM addr:*) and CSV
(official Hauskoordinaten in UTM), dry run by default, idempotent, refusals store nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from geo.models import AddressPoint

pytestmark = pytest.mark.django_db


def osm_points(tmp_path: Path) -> Path:
    def point(lon: float, lat: float, **tags: str) -> dict:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": tags,
        }

    collection = {
        "type": "FeatureCollection",
        "features": [
            point(
                10.04,
                53.03,
                **{
                    "addr:street": "Lindenweg",
                    "addr:housenumber": "5",
                    "addr:postcode": "00101",
                    "addr:city": "Heidestadt",
                },
            ),
            point(
                10.041,
                53.03,
                **{
                    "addr:street": "Lindenweg",
                    "addr:housenumber": "7 A",
                    "addr:postcode": "00101",
                    "addr:city": "Heidestadt",
                },
            ),
            point(10.05, 53.03, name="Kiosk"),  # no address: skipped
        ],
    }
    path = tmp_path / "adressen.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_addresses", *args, stdout=out)
    return out.getvalue()


def test_dry_run_stores_nothing_and_says_what_it_would_do(tmp_path: Path) -> None:
    text = run(str(osm_points(tmp_path)))
    assert "DRY RUN" in text
    assert "created:         2" in text
    assert "1 feature(s) without street or house number skipped" in text
    assert AddressPoint.objects.count() == 0


def test_commit_stores_the_addresses_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    path = osm_points(tmp_path)
    run(str(path), "--commit")
    five = AddressPoint.objects.get(house_number="5")
    assert (five.street, five.postcode, five.town) == ("Lindenweg", "00101", "Heidestadt")
    assert five.label == "Lindenweg 5, 00101 Heidestadt"
    assert AddressPoint.objects.filter(house_number="7a").exists()
    text = run(str(path), "--commit")
    assert "created:         0" in text
    assert "unchanged:       2" in text
    assert AddressPoint.objects.count() == 2


def test_official_csv_in_utm_with_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "hauskoordinaten.csv"
    # Columns as in the states' "Hauskoordinaten": STN street, HNR number, ADZ suffix, PLZ,
    # ONM town, EAST/NORTH in ETRS89 / UTM 32N.
    path.write_text(
        "STN;HNR;ADZ;PLZ;ONM;EAST;NORTH\n"
        "Lindenweg;5;;00101;Heidestadt;566800,0;5902400,0\n"
        "Lindenweg;7;b;00101;Heidestadt;566830,5;5902410,0\n",
        encoding="utf-8",
    )
    run(str(path), "--srid", "25832", "--commit")
    point = AddressPoint.objects.get(house_number="7b")
    assert 10.0 < point.geom.x < 10.1 and 53.2 < point.geom.y < 53.3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("STN;HNR;EAST;NORTH\nLindenweg;5;566800;5902400\n", "--srid"),
        ("STN;HNR;lon;lat\nLindenweg;5;zehn;53\n", "no number"),
        ("strasse;lon;lat\nLindenweg;10.0;53.0\n", "no street or house number column"),
        ("nur text ohne spalten\n", "not a CSV"),
    ],
)
def test_a_broken_csv_is_refused_with_a_clear_message_and_nothing_stored(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "kaputt.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(str(path), "--commit")
    assert message in str(error.value)
    assert "Nothing was stored" in str(error.value)
    assert AddressPoint.objects.count() == 0


def test_a_file_that_is_not_geodata_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "adressen.geojson"
    path.write_text("{ kaputt", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was stored"):
        run(str(path), "--commit")
    assert AddressPoint.objects.count() == 0
