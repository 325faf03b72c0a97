"""GET /api/v1/locate."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString
from django.test import Client

from boundaries.models import Level
from geo.models import RoadClass
from tests.factories import CategoryFactory, RoadFactory, box, territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> dict:
    kreis = territory("Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001")
    gemeinde = territory(
        "Gemeinde Test", Level.GEMEINDE, box(10.0, 53.0, 10.2, 53.1), ags="99001001", parent=kreis
    )
    return {"kreis": kreis, "gemeinde": gemeinde}


def test_locate_lists_every_covering_authority(client: Client, region: dict) -> None:
    response = client.get("/api/v1/locate", {"lat": "53.05", "lon": "10.1"})
    assert response.status_code == 200
    body = response.json()
    assert body["point"] == {"lat": 53.05, "lon": 10.1}
    assert [(a["level"], a["name"], a["ags"]) for a in body["authorities"]] == [
        ("kreis", "Landkreis Test", "99001"),
        ("gemeinde", "Gemeinde Test", "99001001"),
    ]
    assert "routing" not in body


def test_locate_with_category_returns_the_decision_with_distance(
    client: Client, region: dict
) -> None:
    CategoryFactory.create(slug="schlagloch", snap_to_roads=True, snap_tolerance_m=25)
    RoadFactory.create(
        geom=LineString((10.05, 53.05), (10.15, 53.05)),
        road_class=RoadClass.KREISSTRASSE,
        ref="K 12",
    )
    response = client.get(
        "/api/v1/locate", {"lat": "53.0501", "lon": "10.1", "category": "schlagloch"}
    )
    assert response.status_code == 200
    routing = response.json()["routing"]
    assert routing["authority"]["name"] == "Landkreis Test"
    assert routing["reason"] == "road_owner"
    assert routing["road"]["ref"] == "K 12"
    assert routing["road"]["class"] == "K"
    assert 9 < routing["distance_m"] < 12
    assert "K 12" in routing["detail"]


def test_locate_is_a_few_queries(
    client: Client, region: dict, django_assert_max_num_queries
) -> None:
    CategoryFactory.create(slug="schlagloch", snap_to_roads=True)
    # category, routing (covering, road, authority) and the one reverse-lookup statement
    with django_assert_max_num_queries(5):
        client.get("/api/v1/locate", {"lat": "53.05", "lon": "10.1", "category": "schlagloch"})


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"lon": "10.1"}, "lat", "erforderlich"),
        ({"lat": "53.05"}, "lon", "erforderlich"),
        ({"lat": "abc", "lon": "10.1"}, "coordinates", "Zahlen"),
        ({"lat": "nan", "lon": "10.1"}, "coordinates", "endliche"),
        ({"lat": "53.05", "lon": "inf"}, "coordinates", "endliche"),
        ({"lat": "91", "lon": "10.1"}, "coordinates", "zwischen -90 und 90"),
        ({"lat": "53.05", "lon": "-180.5"}, "coordinates", "zwischen -180 und 180"),
        ({"lat": "53.05", "lon": "10.1", "category": "gibt-es-nicht"}, "category", "Unbekannte"),
        ({"lat": "53.05", "lon": "10.1", "category": "kein slug!"}, "category", ""),
    ],
)
def test_bad_input_is_a_400_with_a_field_message(
    client: Client, region: dict, params: dict, field: str, fragment: str
) -> None:
    response = client.get("/api/v1/locate", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body
    assert fragment in " ".join(body[field])


def test_outside_the_service_area_is_a_404_with_a_message(client: Client, region: dict) -> None:
    response = client.get("/api/v1/locate", {"lat": "48.85", "lon": "2.35"})
    assert response.status_code == 404
    assert "außerhalb" in response.json()["detail"]


def test_locate_speaks_english_when_asked(client: Client, region: dict) -> None:
    response = client.get(
        "/api/v1/locate", {"lat": "48.85", "lon": "2.35"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert "outside" in response.json()["detail"]
