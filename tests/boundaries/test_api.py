"""The boundaries layer /api/v1/boundaries."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.test import Client

from boundaries.models import Level
from tests.factories import territory
from tests.map_region import BBOX, make_map_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db: None) -> dict:
    return make_map_region()


def test_boundaries_are_geojson_with_name_level_and_ags(client: Client, region: dict) -> None:
    response = client.get("/api/v1/boundaries", {"bbox": BBOX})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["truncated"] is False
    props = [(f["properties"]["name"], f["properties"]["level"]) for f in body["features"]]
    # Broad levels first, so Gemeinden are drawn on top.
    assert props[0] == ("Landkreis Heideland", "kreis")
    assert set(props[1:]) == {("Stadt Heidestadt", "gemeinde"), ("Moordorf", "gemeinde")}
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["ags"] == "99001"


def test_boundaries_filter_by_level_and_bbox(client: Client, region: dict) -> None:
    body = client.get(
        "/api/v1/boundaries", {"bbox": "10.15,53.01,10.16,53.02", "level": "gemeinde"}
    ).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Moordorf"]


def test_boundaries_are_simplified_for_large_bboxes(client: Client, region: dict) -> None:
    # A wiggly boundary: its 50 m zigzag stays at street level and collapses for a country.
    ring = [(11.0 + i * 0.0001, 54.0 + (i % 2) * 0.0005) for i in range(200)]
    ring += [(11.02, 54.01), (11.0, 54.01), (11.0, 54.0)]
    territory("Zackenhausen", Level.GEMEINDE, MultiPolygon(Polygon(ring), srid=4326))

    def vertices(bbox: str) -> int:
        body = client.get("/api/v1/boundaries", {"bbox": bbox, "level": "gemeinde"}).json()
        feature = next(f for f in body["features"] if f["properties"]["name"] == "Zackenhausen")
        return sum(len(r) for poly in feature["geometry"]["coordinates"] for r in poly)

    assert vertices("11.0,54.0,11.02,54.01") > 150
    assert vertices("5.0,47.0,15.0,55.0") < 20


def test_boundaries_is_one_query(
    client: Client, region: dict, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(1):
        assert client.get("/api/v1/boundaries", {"bbox": BBOX}).status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/boundaries", {}, "bbox"),
        ("/api/v1/boundaries", {"bbox": "1,2,3"}, "bbox"),
        ("/api/v1/boundaries", {"bbox": "a,b,c,d"}, "bbox"),
        ("/api/v1/boundaries", {"bbox": "10.2,53.0,10.0,53.1"}, "bbox"),
        ("/api/v1/boundaries", {"bbox": BBOX, "level": "dorf"}, "level"),
    ],
)
def test_bad_input_is_a_400_with_a_field_message(
    client: Client, region: dict, path: str, params: dict, field: str
) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    assert response.json()[field]
