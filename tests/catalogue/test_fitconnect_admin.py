"""Authority admins set up FIT-Connect reception for their own authority in the admin, and a
route that could never find its destination is refused with a clear message."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from accounts.models import Role
from catalogue.models import FitConnectRoute
from tests.catalogue.conftest import Region
from tests.factories import staff

pytestmark = pytest.mark.django_db

ADD = "/admin/catalogue/fitconnectroute/add/"


def test_own_authority_only_and_a_route_that_can_work(region: Region, client: Client) -> None:
    admin = staff(region.samtgemeinde, Role.ADMIN, email="it@sg-aue.example.org", is_staff=True)
    client.force_login(admin)
    form = {"authority": region.samtgemeinde.pk, "mode": "fitconnect", "destination_id": ""}

    # No destination ID and no area key for the Routing API: refused, nothing stored.
    response = client.post(ADD, form)
    assert response.status_code == 200
    assert "keinen Regionalschlüssel" in response.content.decode()
    response = client.post(ADD, {**form, "destination_id": "kaputt"})
    assert "Die Destination-ID ist eine UUID" in response.content.decode()
    assert not FitConnectRoute.objects.exists()

    destination = str(uuid.uuid4())
    response = client.post(ADD, {**form, "destination_id": destination})
    assert response.status_code == 302
    route = FitConnectRoute.objects.get()
    assert (route.authority, route.mode, route.destination_id) == (
        region.samtgemeinde,
        "fitconnect",
        destination,
    )
    # Another authority's reception is not theirs to set.
    response = client.post(
        ADD, {**form, "authority": region.stadt.pk, "destination_id": destination}
    )
    assert not FitConnectRoute.objects.filter(authority=region.stadt).exists()

    other = staff(region.stadt, Role.ADMIN, email="it@stadt.example.org", is_staff=True)
    client.force_login(other)
    listing = client.get("/admin/catalogue/fitconnectroute/").content.decode()
    assert region.samtgemeinde.name not in listing
