"""House numbers in the place search and the reverse lookup (/api/v1/reverse, /api/v1/locate,
the API's report-created answer and the stored address)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from boundaries.reverse import place_name_at
from boundaries.services import OutsideServiceArea, route, route_with_place
from geo.models import AddressPoint
from tests.factories import CategoryFactory
from tests.map_region import make_map_region
from tracker import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db: None) -> dict:
    region = make_map_region()
    # Lindenweg in Heidestadt runs along 53.03 from 10.03 to 10.05.
    for number, lon in (("5", 10.0400), ("7", 10.0404), ("7a", 10.0408)):
        AddressPoint.objects.create(
            street="Lindenweg",
            house_number=number,
            postcode="00101",
            town="Heidestadt",
            geom=Point(lon, 53.0301, srid=4326),
        )
    return region


def features(client: Client, q: str) -> list[dict]:
    response = client.get("/api/v1/places", {"q": q})
    assert response.status_code == 200
    return response.json()["features"]


@pytest.mark.parametrize(
    "q", ["Lindenweg 5, Heidestadt", "lindenweg 5 heidestadt", "Lindenweg 5", "Lindenweg 5, 00101"]
)
def test_street_and_house_number_find_the_house(client: Client, region: dict, q: str) -> None:
    [hit] = features(client, q)
    assert hit["properties"]["kind"] == "address"
    assert hit["properties"]["label"] == "Lindenweg 5, 00101 Heidestadt"
    assert hit["geometry"]["coordinates"] == [10.04, 53.0301]


def test_house_number_with_a_separate_letter(client: Client, region: dict) -> None:
    [hit] = features(client, "Lindenweg 7 a, Heidestadt")
    assert hit["properties"]["label"] == "Lindenweg 7a, 00101 Heidestadt"


def test_unknown_house_number_falls_back_to_the_street_with_a_note(
    client: Client, region: dict
) -> None:
    hits = features(client, "Lindenweg 99, Heidestadt")
    assert hits[0]["properties"]["kind"] == "street"
    assert hits[0]["properties"]["label"] == "Lindenweg, Stadt Heidestadt"
    assert hits[0]["properties"]["note"] == "Hausnummer 99 nicht gefunden, Straße gewählt"
    assert hits[0]["properties"]["detail"] == "Hausnummer 99 nicht gefunden, Straße gewählt"


def test_a_road_number_comes_with_the_whole_road_extent(client: Client, region: dict) -> None:
    hit = features(client, "K 12")[0]
    assert hit["bbox"] == [10.05, 53.05, 10.15, 53.05]


def test_reverse_names_the_nearest_house(client: Client, region: dict) -> None:
    response = client.get("/api/v1/reverse", {"lat": "53.03012", "lon": "10.04005"})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "address"
    assert body["label"] == "Lindenweg 5, 00101 Heidestadt"
    assert body["house_number"] == "5"
    assert body["distance_m"] < 10


def test_reverse_names_the_street_and_town_without_a_house_near(
    client: Client, region: dict
) -> None:
    response = client.get("/api/v1/reverse", {"lat": "53.0302", "lon": "10.032"})
    body = response.json()
    assert (body["kind"], body["label"]) == ("street", "Lindenweg, Stadt Heidestadt")


def test_reverse_names_the_town_away_from_streets(client: Client, region: dict) -> None:
    body = client.get("/api/v1/reverse", {"lat": "53.09", "lon": "10.01"}).json()
    assert (body["kind"], body["label"]) == ("town", "Stadt Heidestadt")


def test_reverse_outside_every_town_is_a_404_with_a_message(client: Client, region: dict) -> None:
    response = client.get("/api/v1/reverse", {"lat": "52.5", "lon": "9.5"})
    assert response.status_code == 404
    assert "keine Straße" in response.json()["detail"]


@pytest.mark.parametrize("params", [{}, {"lat": "x", "lon": "10"}, {"lat": "95", "lon": "10"}])
def test_reverse_bad_input_is_a_400(client: Client, region: dict, params: dict) -> None:
    assert client.get("/api/v1/reverse", params).status_code == 400


def test_locate_names_the_place(client: Client, region: dict) -> None:
    body = client.get("/api/v1/locate", {"lat": "53.03012", "lon": "10.04005"}).json()
    assert body["place"]["label"] == "Lindenweg 5, 00101 Heidestadt"


def test_a_report_without_address_gets_the_nearest_house_as_address(
    client: Client, region: dict
) -> None:
    CategoryFactory.create(slug="muell", level="kreis")
    response = client.post(
        "/api/v1/reports",
        {
            "lat": "53.03012",
            "lon": "10.04005",
            "category": "muell",
            "description": "Sperrmüll",
            "email": "a@example.org",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["address"] == "Lindenweg 5, 00101 Heidestadt"
    assert body["place"]["kind"] == "address"


def test_a_typed_address_is_kept(region: dict) -> None:
    category = CategoryFactory.create(slug="muell", level="kreis")
    report = services.report_create(
        category=category,
        point=Point(10.04005, 53.03012, srid=4326),
        description="Sperrmüll",
        contact=services.Contact(email="a@example.org"),
        address="am Spielplatz hinter dem Haus",
    )
    assert report.address == "am Spielplatz hinter dem Haus"


def test_away_from_streets_the_address_says_near_which_town(region: dict) -> None:
    category = CategoryFactory.create(slug="muell", level="kreis")
    report = services.report_create(
        category=category,
        point=Point(10.01, 53.09, srid=4326),
        description="Sperrmüll",
        contact=services.Contact(email="a@example.org"),
    )
    assert report.address == "bei Stadt Heidestadt"


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (10.04005, 53.03012),  # at a house
        (10.045, 53.0303),  # on the Lindenweg, no house near
        (10.01, 53.09),  # in town, away from streets
        (10.1, 53.05),  # on the border of Heidestadt and Moordorf
        (10.3, 53.05),  # outside every Gemeinde
    ],
)
def test_intake_names_the_same_place_as_the_reverse_lookup(
    region: dict, lon: float, lat: float
) -> None:
    # Intake asks for the place in the routing's round trip and takes the Gemeinde from the
    # covering authorities routing found; the answer must be the reverse lookup's.
    category = CategoryFactory.create(slug="muell", level="kreis")
    point = Point(lon, lat, srid=4326)
    if lon > 10.2:
        with pytest.raises(OutsideServiceArea):
            route_with_place(point, category)
        assert place_name_at(point) is None
        return
    decision, place = route_with_place(point, category)
    assert place == place_name_at(point)
    assert decision == route(point, category)
