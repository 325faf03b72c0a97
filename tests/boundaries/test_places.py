"""The offline place search /api/v1/places (boundaries.places)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString
from django.test import Client

from tests.factories import RoadFactory
from tests.map_region import make_map_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db: None) -> dict:
    return make_map_region()


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/places", {}, "q"),
        ("/api/v1/places", {"q": " x "}, "q"),
        ("/api/v1/places", {"q": "x" * 101}, "q"),
    ],
)
def test_bad_input_is_a_400_with_a_field_message(
    client: Client, region: dict, path: str, params: dict, field: str
) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    assert response.json()[field]


def labels(client: Client, q: str) -> list[str]:
    response = client.get("/api/v1/places", {"q": q})
    assert response.status_code == 200
    return [f["properties"]["label"] for f in response.json()["features"]]


def test_street_is_found_once_per_gemeinde(client: Client, region: dict) -> None:
    response = client.get("/api/v1/places", {"q": "lindenweg"})
    features = response.json()["features"]
    assert [f["properties"]["label"] for f in features] == [
        "Lindenweg, Moordorf",
        "Lindenweg, Stadt Heidestadt",
    ]
    # The point lies on the longest segment of the street in that town.
    assert features[1]["geometry"]["coordinates"] == [10.04, 53.03]
    assert features[1]["properties"]["kind"] == "street"
    assert features[1]["properties"]["town"] == "Stadt Heidestadt"


@pytest.mark.parametrize(
    "q",
    ["Lindenweg Heidestadt", "Lindenweg, Heidestadt", "heidestadt lindenweg", "Lindenweg 7, Heide"],
)
def test_street_with_town_or_house_number(client: Client, region: dict, q: str) -> None:
    assert labels(client, q)[0] == "Lindenweg, Stadt Heidestadt"
    assert "Lindenweg, Moordorf" not in labels(client, q)


def test_house_numbers_are_ignored(client: Client, region: dict) -> None:
    assert labels(client, "Lindenweg 5a") == ["Lindenweg, Moordorf", "Lindenweg, Stadt Heidestadt"]


def test_prefix_and_substring_matches_rank_after_exact_ones(client: Client, region: dict) -> None:
    assert labels(client, "Linden") == [
        "Lindenstraße, Stadt Heidestadt",
        "Lindenweg, Moordorf",
        "Lindenweg, Stadt Heidestadt",
        "Am Lindenhof, Stadt Heidestadt",
    ]


def test_sharp_s_and_ss_are_the_same(client: Client, region: dict) -> None:
    assert labels(client, "lindenstrasse") == ["Lindenstraße, Stadt Heidestadt"]
    assert labels(client, "Lindenstr.") == ["Lindenstraße, Stadt Heidestadt"]


def test_road_numbers_are_found_with_or_without_space(client: Client, region: dict) -> None:
    for q in ("K 12", "k12"):
        response = client.get("/api/v1/places", {"q": q})
        features = response.json()["features"]
        assert [f["properties"]["label"] for f in features] == ["K 12", "K 120"]
        assert features[0]["properties"]["kind"] == "road"
        assert "Landkreis Heideland" in features[0]["properties"]["detail"]


def test_authorities_are_found_with_a_point_and_a_bbox(client: Client, region: dict) -> None:
    features = client.get("/api/v1/places", {"q": "heidestadt"}).json()["features"]
    assert features[0]["properties"]["label"] == "Stadt Heidestadt"
    assert features[0]["properties"]["kind"] == "authority"
    assert features[0]["bbox"] == [10.0, 53.0, 10.1, 53.1]
    lon, lat = features[0]["geometry"]["coordinates"]
    assert 10.0 < lon < 10.1 and 53.0 < lat < 53.1


def test_like_wildcards_in_the_query_are_literal(client: Client, region: dict) -> None:
    assert labels(client, "%%") == []
    assert labels(client, "L_nden") == []


def test_at_most_ten_places(client: Client, region: dict) -> None:
    for i in range(12):
        RoadFactory.create(name=f"Birkenweg {i}", geom=LineString((10.01, 53.01), (10.011, 53.01)))
    assert len(labels(client, "Birken")) == 10


def test_places_is_a_few_queries(
    client: Client, region: dict, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(3):
        client.get("/api/v1/places", {"q": "K 12"})
    with django_assert_max_num_queries(2):
        client.get("/api/v1/places", {"q": "Lindenweg, Heidestadt"})
    # With a house number, one more statement looks for the address point first.
    with django_assert_max_num_queries(4):
        client.get("/api/v1/places", {"q": "Lindenweg 7, Heidestadt"})
