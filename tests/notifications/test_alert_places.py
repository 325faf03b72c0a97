"""Area alerts by place instead of coordinates: without JavaScript the typed place is searched
like on the report form (boundaries.places) and its first hit becomes the centre; a place we
do not know is a 400 with a German message next to the field, and nothing is stored."""

from __future__ import annotations

import pytest
from django.test import Client

from notifications.models import AreaAlert
from tests.factories import UserFactory
from tests.tracker.staff.fixtures import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_a_place_by_name_becomes_the_centre(world: World, client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    page = client.get("/konto/benachrichtigungen/").content.decode()
    assert "Ort als Mittelpunkt" in page
    assert "Breitengrad" not in page and "Längengrad" not in page
    response = client.post(
        "/konto/benachrichtigungen/",
        {"place": "Moor", "radius_m": "800", "frequency": "instant", "name": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    alert = AreaAlert.objects.get(user=user)
    assert alert.radius_m == 800
    assert alert.name == "Gemeinde Moor"
    # The centre is the place's point, inside the Gemeinde's box.
    centre = alert.area.centroid
    assert 10.0 < centre.x < 10.2 and 53.0 < centre.y < 53.1


def test_an_unknown_place_is_refused_next_to_the_field(world: World, client: Client) -> None:
    client.force_login(UserFactory.create())
    response = client.post(
        "/konto/benachrichtigungen/",
        {"place": "Atlantis", "radius_m": "500", "frequency": "instant"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zu „Atlantis“ haben wir keinen Ort gefunden." in html
    assert 'aria-invalid="true"' in html
    assert not AreaAlert.objects.exists()


def test_a_point_from_the_map_wins_over_the_typed_label(world: World, client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    response = client.post(
        "/konto/benachrichtigungen/",
        {
            "place": "Punkt auf der Karte",
            "lat": "53.05",
            "lon": "10.1",
            "radius_m": "300",
            "frequency": "daily",
        },
    )
    assert response.status_code == 302
    assert AreaAlert.objects.get(user=user).name == "Punkt auf der Karte"
