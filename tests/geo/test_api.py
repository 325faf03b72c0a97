"""Vector layers (/api/v1/boundaries, roads, assets) and the offline place search."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.test import Client

from boundaries.models import Level
from geo.models import AssetType, RoadClass
from tests.factories import AssetFactory, RoadFactory, box, territory

pytestmark = pytest.mark.django_db

BBOX = "10.0,53.0,10.2,53.1"


@pytest.fixture
def region() -> dict:
    kreis = territory("Landkreis Heideland", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), ags="99001")
    heidestadt = territory(
        "Stadt Heidestadt", Level.GEMEINDE, box(10.0, 53.0, 10.1, 53.1), ags="99001001"
    )
    moordorf = territory("Moordorf", Level.GEMEINDE, box(10.1, 53.0, 10.2, 53.1), ags="99001002")
    # Lindenweg exists in both towns; in Heidestadt it has a short and a long segment.
    RoadFactory.create(name="Lindenweg", geom=LineString((10.02, 53.02), (10.021, 53.02)))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.03, 53.03), (10.05, 53.03)))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.15, 53.05), (10.16, 53.05)))
    RoadFactory.create(name="Lindenstraße", geom=LineString((10.06, 53.06), (10.07, 53.06)))
    RoadFactory.create(name="Am Lindenhof", geom=LineString((10.08, 53.08), (10.09, 53.08)))
    RoadFactory.create(
        ref="K 12",
        road_class=RoadClass.KREISSTRASSE,
        owner=kreis,
        geom=LineString((10.05, 53.05), (10.15, 53.05)),
    )
    RoadFactory.create(
        ref="K 120",
        road_class=RoadClass.KREISSTRASSE,
        geom=LineString((10.05, 53.07), (10.06, 53.07)),
    )
    AssetFactory.create(geom=Point(10.031, 53.0301), external_id="L-1", name="Laterne am Weg")
    AssetFactory.create(geom=Point(10.032, 53.0301), external_id="L-2")
    AssetFactory.create(geom=Point(10.033, 53.0301), asset_type=AssetType.BENCH, external_id="B-1")
    return {"kreis": kreis, "heidestadt": heidestadt, "moordorf": moordorf}


# --- boundaries ----------------------------------------------------------------------------


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


# --- roads and assets ----------------------------------------------------------------------


def test_roads_in_bbox_with_class_ref_name_and_owner(client: Client, region: dict) -> None:
    body = client.get("/api/v1/roads", {"bbox": "10.04,53.04,10.2,53.055"}).json()
    by_label = {f["properties"]["ref"] or f["properties"]["name"]: f for f in body["features"]}
    assert set(by_label) == {"K 12", "Lindenweg"}
    k12 = by_label["K 12"]["properties"]
    assert k12["class"] == "K"
    assert k12["class_label"] == "Kreisstraße"
    assert k12["owner"] == "Landkreis Heideland"
    assert by_label["K 12"]["geometry"]["type"] == "LineString"
    assert by_label["Lindenweg"]["properties"]["owner"] is None


def test_roads_refuse_a_too_large_bbox(client: Client, region: dict) -> None:
    response = client.get("/api/v1/roads", {"bbox": "9.0,53.0,10.0,53.2"})
    assert response.status_code == 400
    assert "zu groß" in response.json()["bbox"][0]


def test_assets_in_bbox_filtered_by_type(client: Client, region: dict) -> None:
    body = client.get("/api/v1/assets", {"bbox": BBOX}).json()
    assert len(body["features"]) == 3
    lights = client.get("/api/v1/assets", {"bbox": BBOX, "type": "streetlight"}).json()
    props = [f["properties"] for f in lights["features"]]
    assert [(p["type"], p["external_id"]) for p in props] == [
        ("streetlight", "L-1"),
        ("streetlight", "L-2"),
    ]
    assert props[0]["name"] == "Laterne am Weg"
    assert props[0]["type_label"] == "Straßenlaterne"
    assert lights["features"][0]["geometry"] == {"type": "Point", "coordinates": [10.031, 53.0301]}


@pytest.mark.parametrize("path", ["/api/v1/roads", "/api/v1/assets"])
def test_vector_lists_are_one_query(
    client: Client, region: dict, django_assert_max_num_queries, path: str
) -> None:
    with django_assert_max_num_queries(1):
        assert client.get(path, {"bbox": BBOX}).status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/boundaries", {}, "bbox"),
        ("/api/v1/boundaries", {"bbox": "1,2,3"}, "bbox"),
        ("/api/v1/boundaries", {"bbox": "a,b,c,d"}, "bbox"),
        ("/api/v1/boundaries", {"bbox": "10.2,53.0,10.0,53.1"}, "bbox"),
        ("/api/v1/boundaries", {"bbox": BBOX, "level": "dorf"}, "level"),
        ("/api/v1/roads", {"bbox": "nan,53,10,54"}, "bbox"),
        ("/api/v1/roads", {}, "bbox"),
        ("/api/v1/assets", {"bbox": "10,95,11,96"}, "bbox"),
        ("/api/v1/assets", {"bbox": BBOX, "type": "ufo"}, "type"),
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


# --- places --------------------------------------------------------------------------------


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
