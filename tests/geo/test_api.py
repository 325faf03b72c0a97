"""Vector layers /api/v1/roads and /api/v1/assets."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.map_region import BBOX, make_map_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db: None) -> dict:
    return make_map_region()


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
        ("/api/v1/roads", {"bbox": "nan,53,10,54"}, "bbox"),
        ("/api/v1/roads", {}, "bbox"),
        ("/api/v1/assets", {"bbox": "10,95,11,96"}, "bbox"),
        ("/api/v1/assets", {"bbox": BBOX, "type": "ufo"}, "type"),
    ],
)
def test_bad_input_is_a_400_with_a_field_message(
    client: Client, region: dict, path: str, params: dict, field: str
) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    assert response.json()[field]
