"""Tenant pages, favourites, the personal start page, payment providers, the admin's schema
check and bounded queries of the list pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from catalogue import payments
from catalogue.admin import ServiceForm
from catalogue.models import AuthorityPage, Favourite, Service
from catalogue.services import application_submit
from tests.catalogue.conftest import DOG_FORM, IN_STADT, Region
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_branded_authority_page(
    region: Region, catalogue: dict[str, Service], client: Client
) -> None:
    region.stadt.colour = "#7b2d8e"
    region.stadt.save()
    page = AuthorityPage.objects.create(
        authority=region.stadt,
        welcome="Willkommen in Frei!",
        imprint_url="https://frei.example.org/impressum",
        privacy_url="https://frei.example.org/datenschutz",
    )
    page.featured.set([catalogue["hundesteueranmeldung"], catalogue["kita-anmeldung"]])
    response = client.get(f"/stelle/{region.stadt.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Stadt Frei</h1>" in html
    assert "--tenant: #7b2d8e" in html
    assert "Willkommen in Frei!" in html
    assert "https://frei.example.org/impressum" in html and "Datenschutzerklärung" in html
    assert html.index("Hundesteueranmeldung") < html.index("Kontakt")
    # An authority without a page still gets a plain one; unknown slugs are 404.
    assert client.get(f"/stelle/{region.kreis.slug}/").status_code == 200
    assert client.get("/stelle/gibt-es-nicht/").status_code == 404


def test_favourites_on_the_personal_start_page(
    catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    assert client.post("/dienstleistungen/sperrmuell/merken/", {"pin": "1"}).status_code == 302
    assert not Favourite.objects.exists()  # anonymous: redirected to the login
    client.force_login(citizen)
    response = client.post("/dienstleistungen/sperrmuell/merken/", {"pin": "1"})
    assert response.status_code == 302
    client.post("/dienstleistungen/sperrmuell/merken/", {"pin": "1"})  # twice: still once
    assert Favourite.objects.filter(user=citizen).count() == 1
    start = client.get("/dienstleistungen/meine/").content.decode()
    assert "Sperrmüll anmelden" in start
    detail = client.get("/dienstleistungen/sperrmuell/").content.decode()
    assert "Von meiner Startseite entfernen" in detail
    client.post("/dienstleistungen/sperrmuell/merken/", {"pin": "0"})
    assert not Favourite.objects.exists()
    assert client.get("/dienstleistungen/sperrmuell/merken/").status_code == 405


def test_invoice_is_the_fallback_and_providers_are_pluggable(region: Region, settings: Any) -> None:
    # No e-payment account anywhere: every authority invoices.
    provider = payments.provider_for_authority(region.stadt)
    assert provider.key == "invoice"
    assert isinstance(provider, payments.PaymentProvider)
    assert isinstance(payments.default_provider(), payments.PaymentProvider)
    settings.CATALOGUE_PAYMENT_PROVIDERS = ["catalogue.payments.InvoiceProvider"]
    assert payments.default_provider().key == "invoice"
    settings.CATALOGUE_PAYMENT_PROVIDERS = ["catalogue.models.Service"]
    with pytest.raises(ImproperlyConfigured):
        payments.providers()


# The e-payment provider (XBezahldienste) against a platform on loopback:
# tests/catalogue/test_xbezahl.py.


def test_admin_form_refuses_a_broken_schema(catalogue: dict[str, Service]) -> None:
    service = catalogue["hundesteueranmeldung"]
    data = {
        "name": service.name,
        "slug": service.slug,
        "level": service.level,
        "min_assurance": service.min_assurance,
        "is_online": "on",
        "links": "[]",
        "form_schema": '{"type": "object", "properties": {"x": {"type": "nonsense"}}}',
    }
    form = ServiceForm(data=data, instance=service)
    assert not form.is_valid()
    assert "kein gültiges JSON Schema" in str(form.errors["form_schema"])
    form = ServiceForm(data={**data, "form_schema": "{}"}, instance=service)
    assert not form.is_valid()
    assert "braucht ein Formular" in str(form.errors["form_schema"])


def test_list_pages_need_a_bounded_number_of_queries(
    region: Region, catalogue: dict[str, Service], citizen: User, client: Client
) -> None:
    """The number of queries does not grow with the number of applications."""
    worker = staff(region.stadt)

    def counts() -> list[int]:
        result = []
        for user, url in (
            (citizen, "/konto/anliegen/"),
            (citizen, "/dienstleistungen/?q=Hund&ort=Frei"),
            (worker, "/dienstleistungen/bearbeitung/"),
        ):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    application_submit(
        catalogue["hundesteueranmeldung"], applicant=citizen, point=IN_STADT, data=DOG_FORM
    )
    counts()  # warms the cached portal identity (boundaries.identity)
    few = counts()
    for _ in range(5):
        application_submit(
            catalogue["hundesteueranmeldung"], applicant=citizen, point=IN_STADT, data=DOG_FORM
        )
    assert counts() == few
    assert max(few) <= 15


def test_authority_page_shows_address_hours_and_its_services(
    region: Region, catalogue: dict[str, Service], client: Client
) -> None:
    region.kreis.address = "Kreishaus\nAm Markt 1"
    region.kreis.opening_hours = "Mo–Fr 8–12 Uhr\nDo 14–18 Uhr"
    region.kreis.phone = "04199 123-0"
    region.kreis.save()
    html = client.get(f"/stelle/{region.kreis.slug}/").content.decode()
    assert "Kreishaus<br>Am Markt 1" in html
    assert "<li>Mo–Fr 8–12 Uhr</li><li>Do 14–18 Uhr</li>" in html
    assert 'href="tel:04199123-0"' in html
    services = html[html.index("Dienstleistungen dieser Stelle") :]
    # Kreis services are listed, the Gemeinde's dog tax is not.
    kreis_services = [s for s in catalogue.values() if s.level == "kreis"]
    assert kreis_services
    for service in kreis_services:
        assert service.name in services
    assert "Hundesteueranmeldung" not in services
