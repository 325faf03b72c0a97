"""The road status tiles: each segment of a visible plan with class, ref, name, last
inspection, next due date and status; a finished round turns its segments from overdue to
inspected (through the tile cache); only staff get tiles, and only of their own plans."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import mapbox_vector_tile
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tracker.inspections import services

from .fixtures import LAT, STARTS, drive, make_roads

pytestmark = pytest.mark.django_db
Z = 12


def _tile_xy(lon: float, lat: float, z: int = Z) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    rad = math.radians(lat)
    y = int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * n)
    return x, y


def _url() -> str:
    x, y = _tile_xy(STARTS[0], LAT)
    return reverse("inspections:tile", args=[str(Z), str(x), str(y)])


def _segments(client: Client) -> dict[str, dict[str, Any]]:
    response = client.get(_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    if "inspections" not in decoded:
        return {}
    return {f["properties"]["name"]: f["properties"] for f in decoded["inspections"]["features"]}


def _decode(content: bytes) -> list[dict[str, Any]]:
    return list(mapbox_vector_tile.decode(content).get("inspections", {}).get("features", []))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_status_per_segment_changes_after_a_round(
    django_capture_on_commit_callbacks: Any,
) -> None:
    roads = make_roads()
    crew = roads.world.crew
    client = _client(crew)
    today = timezone.localdate()
    before = _segments(client)
    # The Gemeindestraße of the fixture is no part of a plan: not on this map.
    assert set(before) == {"Abschnitt 1", "Abschnitt 2", "Abschnitt 3"}
    first = before["Abschnitt 1"]
    assert first["status"] == "overdue" and first["class"] == "K" and first["ref"] == "K 12"
    assert first["next_due"] == (today - timedelta(days=3)).isoformat()
    assert "last_inspected" not in first
    assert first["plan"] == roads.plan.pk

    round_ = services.round_start(roads.plan, by=crew)
    services.round_add_points(round_, drive(STARTS[0], STARTS[2]), by=crew)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_end(round_, by=crew)

    after = _segments(client)
    for name in ("Abschnitt 1", "Abschnitt 2"):
        assert after[name]["status"] == "inspected"
        assert after[name]["last_inspected"] == today.isoformat()
        assert after[name]["next_due"] == (today + timedelta(days=14)).isoformat()
    assert after["Abschnitt 3"]["status"] == "overdue"


def test_a_segment_due_today_is_due() -> None:
    roads = make_roads()
    roads.plan.starts_on = timezone.localdate()
    roads.plan.save()
    statuses = {p["status"] for p in _segments(_client(roads.world.crew)).values()}
    assert statuses == {"due"}


def test_tiles_are_for_staff_of_the_plan_only() -> None:
    roads = make_roads()
    assert Client().get(_url()).status_code == 403
    assert _client(UserFactory.create()).get(_url()).status_code == 403
    # Staff of the Gemeinde: no plan of theirs, so an empty tile.
    assert _segments(_client(roads.world.gemeinde_dispatcher)) == {}
    bad = _client(roads.world.crew).get(reverse("inspections:tile", args=["12", "x", "1"]))
    assert bad.status_code == 400 and "ganze Zahlen" in bad.content.decode()


def test_browsers_revalidate_with_the_etag(django_capture_on_commit_callbacks: Any) -> None:
    roads = make_roads()
    client = _client(roads.world.crew)
    first = client.get(_url())
    assert "private" in first["Cache-Control"]
    again = client.get(_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        roads.plan.starts_on = timezone.localdate() + timedelta(days=5)
        roads.plan.save()
    changed = client.get(_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    statuses = {f["properties"]["status"] for f in _decode(changed.content)}
    assert statuses == {"inspected"}


def _map_config(html: str) -> dict[str, Any]:
    import json
    import re

    match = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    assert match, "the page has no map configuration"
    return dict(json.loads(match.group(1)))


def test_the_round_page_maps_the_route_and_the_track() -> None:
    roads = make_roads()
    crew = roads.world.crew
    client = _client(crew)
    overview = _map_config(client.get(reverse("inspections:routes")).content.decode())
    assert overview["inspectionTiles"].endswith("/kacheln/{z}/{x}/{y}.pbf")

    round_ = services.round_start(roads.plan, by=crew)
    services.round_add_points(round_, drive(STARTS[0], STARTS[2]), by=crew)
    page = client.get(reverse("inspections:round", args=[round_.pk])).content.decode()
    assert "Route und GPS-Spur" in page
    data = _map_config(page)["round"]
    states = {s["label"]: s["state"] for s in data["segments"]}
    # Driven so far by the track; the third one not yet, and it is overdue.
    assert states == {
        "K 12 Abschnitt 1": "driven",
        "K 12 Abschnitt 2": "driven",
        "K 12 Abschnitt 3": "overdue",
    }
    assert len(data["track"]) == 21 and data["running"] is True
    assert data["track"][0] == [round(LAT + 0.00005, 6), STARTS[0]]

    services.round_end(round_, by=crew, segments=[roads.segments[2].pk])
    done = _map_config(client.get(reverse("inspections:round", args=[round_.pk])).content.decode())
    assert {s["state"] for s in done["round"]["segments"]} == {"driven"}
    assert done["round"]["running"] is False and len(done["round"]["track"]) == 21


def test_the_pages_and_their_maps_in_english() -> None:
    roads = make_roads()
    client = _client(roads.world.crew)
    page = client.get(reverse("inspections:routes"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Road inspection" in html and "Map of inspection status" in html
    assert "3 segments overdue" in html and "every 14 days" in html
    assert _map_config(html)["strings"]["overdue"] == "overdue"
    round_ = services.round_start(roads.plan, by=roads.world.crew)
    html = client.get(
        reverse("inspections:round", args=[round_.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Record a finding" in html and "End round: inspected, no findings" in html
    assert _map_config(html)["strings"]["driven"] == "driven on this round"
