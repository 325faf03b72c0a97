"""Area alerts for an area drawn on the map (GeoJSON from the alerts page)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from notifications.models import AreaAlert
from tests.factories import UserFactory
from tests.tracker.staff.fixtures import World, make_world
from tracker import services as tracker_services
from tracker.models import Report


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def polygon(*corners: tuple[float, float]) -> str:
    ring = [list(c) for c in (*corners, corners[0])]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


AROUND_THE_REPORT = polygon((10.09, 53.04), (10.11, 53.04), (10.11, 53.06), (10.09, 53.06))
ELSEWHERE = polygon((10.15, 53.07), (10.17, 53.07), (10.17, 53.09))


def test_a_drawn_area_is_stored_and_matches_reports_inside_only(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    inside = UserFactory.create(email="innen@example.org")
    outside = UserFactory.create(email="aussen@example.org")
    for user, area in ((inside, AROUND_THE_REPORT), (outside, ELSEWHERE)):
        client.force_login(user)
        response = client.post(
            "/konto/benachrichtigungen/", {"area": area, "frequency": "instant", "name": ""}
        )
        assert response.status_code == 302
    alert = AreaAlert.objects.get(user=inside)
    assert alert.name == "Gezeichnetes Gebiet"
    assert alert.authority is None and alert.radius_m is None
    assert "gezeichnetes Gebiet" in client.get("/konto/benachrichtigungen/").content.decode()
    report = world.report(confirmed=False)
    Report.objects.filter(pk=report.pk).update(confirmed_at=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_confirm(report)
    assert [m.to[0] for m in mail.outbox if "example.org" in m.to[0]].count(
        "innen@example.org"
    ) == 1
    assert not any(m.to == ["aussen@example.org"] for m in mail.outbox)


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("{nonsense", "keine gültige Fläche"),
        (json.dumps({"type": "Point", "coordinates": [10.1, 53.05]}), "keine gültige Fläche"),
        (
            # a bow tie: self-intersecting
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[10.0, 53.0], [10.1, 53.1], [10.1, 53.0], [10.0, 53.1], [10.0, 53.0]]
                    ],
                }
            ),
            "keine gültige Fläche",
        ),
        (polygon((5.0, 47.0), (15.0, 47.0), (15.0, 55.0), (5.0, 55.0)), "zu groß"),
    ],
)
def test_bad_drawn_areas_are_refused_with_a_message(
    world: World, client: Client, area: str, message: str
) -> None:
    client.force_login(UserFactory.create())
    response = client.post("/konto/benachrichtigungen/", {"area": area, "frequency": "instant"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AreaAlert.objects.exists()


def test_only_one_kind_of_area_at_a_time(world: World, client: Client) -> None:
    client.force_login(UserFactory.create())
    response = client.post(
        "/konto/benachrichtigungen/",
        {
            "area": AROUND_THE_REPORT,
            "lat": "53.05",
            "lon": "10.1",
            "radius_m": "300",
            "frequency": "instant",
        },
    )
    assert response.status_code == 400
    assert "nur eines" in response.content.decode()
    assert not AreaAlert.objects.exists()
