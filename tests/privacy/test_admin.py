"""The privacy admin: holds and periods refused with a clear message, scoped by authority."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from privacy.models import LegalHold, RetentionPolicy
from tests.tracker.staff.fixtures import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def test_an_admin_places_a_hold_and_is_told_when_the_record_is_gone(
    world: World, client: Client
) -> None:
    report = world.report()
    client.force_login(world.admin)
    url = reverse("admin:privacy_legalhold_add")
    response = client.post(
        url, {"kind": "report", "reference": report.reference, "reason": "Klageverfahren"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.object_id, hold.created_by) == (report.pk, world.admin)

    response = client.post(url, {"kind": "report", "reference": "2020-999999", "reason": "x"})
    assert response.status_code == 200
    assert "gelöschten Datensatz ist nicht möglich" in response.content.decode()

    other = world.report()
    other.authority = world.gemeinde
    other.save()
    response = client.post(url, {"kind": "report", "reference": other.reference, "reason": "x"})
    assert "gehört nicht zu Ihrer Stelle" in response.content.decode()
    assert LegalHold.objects.count() == 1


def test_a_negative_period_in_the_admin_gets_a_message(world: World, client: Client) -> None:
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:privacy_retentionpolicy_add"),
        {"authority": world.kreis.pk, "record_type": "report_contact", "months": "-2"},
    )
    assert response.status_code == 200
    assert "kann nicht negativ sein" in response.content.decode()
    assert not RetentionPolicy.objects.exists()
    response = client.post(
        reverse("admin:privacy_retentionpolicy_add"),
        {"authority": world.kreis.pk, "record_type": "report_contact", "months": "3"},
    )
    assert response.status_code == 302
    assert RetentionPolicy.objects.get().authority == world.kreis
