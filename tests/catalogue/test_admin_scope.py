"""Authority admins edit their own service overrides, fees and start page in the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import Role
from boundaries.models import Authority
from catalogue.models import AuthorityPage, FeeRule, Service, ServiceOverride
from tests.factories import staff
from tests.tracker.staff.fixtures import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def admin_of(world_authority: Authority, email: str) -> Client:
    client = Client()
    client.force_login(staff(world_authority, Role.ADMIN, email=email, is_staff=True))
    return client


def test_own_overrides_fees_and_page_only(world: World) -> None:
    service = Service.objects.create(
        name="Hundesteueranmeldung", slug="hundesteuer", leika_key="99102013104000"
    )
    ServiceOverride.objects.create(service=service, authority=world.kreis, offered_online=False)
    ServiceOverride.objects.create(service=service, authority=world.gemeinde, offered_online=True)
    FeeRule.objects.create(service=service, authority=None, label="Standard", amount=Decimal(10))
    AuthorityPage.objects.create(authority=world.kreis, welcome="Willkommen im Kreis")
    AuthorityPage.objects.create(authority=world.gemeinde, welcome="Willkommen in Moor")
    client = admin_of(world.gemeinde, "verwaltung@moor.example.org")

    overrides = client.get("/admin/catalogue/serviceoverride/").content.decode()
    assert world.gemeinde.name in overrides and world.kreis.name not in overrides
    pages = client.get("/admin/catalogue/authoritypage/")
    assert pages.status_code == 200
    kreis_page = AuthorityPage.objects.get(authority=world.kreis)
    assert client.get(f"/admin/catalogue/authoritypage/{kreis_page.pk}/change/").status_code == 302

    # A fee for the own authority: fine; the default fee (no authority) is not offered.
    response = client.post(
        "/admin/catalogue/feerule/add/",
        {"service": service.pk, "authority": "", "label": "Ohne Stelle", "amount": "5.00"},
    )
    assert response.status_code == 200  # form error, nothing stored
    assert not FeeRule.objects.filter(label="Ohne Stelle").exists()
    response = client.post(
        "/admin/catalogue/feerule/add/",
        {"service": service.pk, "authority": world.kreis.pk, "label": "Fremd", "amount": "5.00"},
    )
    assert not FeeRule.objects.filter(label="Fremd").exists()
    client.post(
        "/admin/catalogue/feerule/add/",
        {"service": service.pk, "authority": world.gemeinde.pk, "label": "Moor", "amount": "7.50"},
    )
    assert FeeRule.objects.get(label="Moor").authority == world.gemeinde
    fees = client.get("/admin/catalogue/feerule/").content.decode()
    assert "Moor" in fees and "Standard" not in fees
