"""Online payment in a real browser: the citizen sees the fee before submitting, applies,
cancels on the platform's pay page, has her card declined, tries again with PayPal and
comes back to a paid fee —
every page of ours checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from catalogue.models import Payment, PaymentTransaction, Service, XBezahlAccount
from tests.catalogue.conftest import IN_STADT, Region, catalogue, region  # noqa: F401
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_catalogue import log_in
from tests.factories import UserFactory
from tests.payment.xbezahl_server import XBezahlServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="de-DE")
    yield context.new_page()
    context.close()


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> Iterator[XBezahlServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = XBezahlServer().start()
    yield server
    server.stop()


def test_citizen_cancels_is_declined_then_pays_with_paypal(
    live_server: Any,
    page: Page,
    region: Region,  # noqa: F811
    catalogue: dict[str, Service],  # noqa: F811
    platform: XBezahlServer,
    settings: Any,
) -> None:
    settings.MAP_TILE_URL = ""
    XBezahlAccount.objects.create(
        authority=region.stadt,
        base_url=platform.base_url,
        originator_id=platform.originator_id,
        endpoint_id="stadt-frei",
        username=platform.username,
        secret=platform.password,
    )
    erika = UserFactory.create(
        email="erika@example.org", assurance_level=User.AssuranceLevel.VERIFIED
    )
    EmailAddress.objects.create(user=erika, email=erika.email, primary=True, verified=True)
    log_in(page, live_server, erika)

    page.goto(
        f"{live_server.url}/dienstleistungen/meldebescheinigung/antrag/"
        f"?lat={IN_STADT.y}&lon={IN_STADT.x}&ort=Teststraße"
    )
    fee = page.get_by_role("region", name="Gebühr")
    expect(fee).to_contain_text("10,00 €")
    expect(fee).to_contain_text("Kreditkarte, PayPal oder giropay")
    assert_accessible(page)
    page.get_by_label("Art der Bescheinigung").select_option("einfach")
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_text("Zahlung ausstehend")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt online bezahlen").click()

    # The platform's page: the citizen changes her mind.
    expect(page.get_by_role("heading", name="Bezahlplattform (Test)")).to_be_visible()
    page.get_by_role("button", name="Abbrechen").click()
    expect(page.get_by_text("Sie haben die Bezahlung abgebrochen")).to_be_visible()
    assert_accessible(page)

    # Then her card is declined.
    page.get_by_role("button", name="Erneut online bezahlen").click()
    page.get_by_role("button", name="Zahlung ablehnen (Test)").click()
    declined = page.get_by_text("Die Zahlung ist fehlgeschlagen; es wurde nichts abgebucht")
    expect(declined).to_be_visible()

    page.get_by_role("button", name="Erneut online bezahlen").click()
    page.get_by_label("PayPal").check()
    page.get_by_role("button", name="Bezahlen", exact=True).click()
    paid = re.compile(r"die Gebühr ist bezahlt \(Kassenzeichen KZ-")
    expect(page.get_by_text(paid)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Kassenzeichen: KZ-.*\(PayPal\)"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("online bezahlen"))).to_have_count(0)
    assert_accessible(page)

    payment = Payment.objects.get()
    assert payment.state == Payment.State.PAID
    assert list(payment.transactions.values_list("status", flat=True)) == [
        PaymentTransaction.Status.CANCELED,
        PaymentTransaction.Status.FAILED,
        PaymentTransaction.Status.PAYED,
    ]
