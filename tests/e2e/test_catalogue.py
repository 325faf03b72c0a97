"""The Serviceportal in a real browser: a citizen searches "Hund", finds the office for her
address, opens Hundesteueranmeldung, fills and submits the form generated from its JSON
Schema, and sees the application in "Meine Anliegen" — axe-core checks on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from accounts.models import User
from catalogue.models import Application, Service
from tests.catalogue.conftest import Region, catalogue, region  # noqa: F401 - fixtures
from tests.e2e.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory's password


@pytest.fixture
def erika(settings: Any) -> User:
    settings.MAP_TILE_URL = ""
    user = UserFactory.create(email="erika@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def log_in(page: Page, live_server: Any, user: User, landing: str = "/konto/anliegen/") -> None:
    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + landing)


def test_citizen_finds_and_applies_for_the_dog_tax(
    live_server: Any,
    page: Page,
    region: Region,  # noqa: F811
    catalogue: dict[str, Service],  # noqa: F811
    erika: User,
) -> None:
    log_in(page, live_server, erika)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Dienstleistungen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dienstleistungen")
    assert_accessible(page)

    page.get_by_label("Was möchten Sie erledigen?").fill("Hund")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name=re.compile("Treffer für „Hund“"))).to_be_visible()
    results = page.locator(".service-card h3")
    expect(results.first).to_have_text("Hundesteueranmeldung")

    # The Zuständigkeitsfinder: our own place search finds the town by name.
    page.get_by_label("Ihre Anschrift oder Ihr Ort").fill("Stadt Frei")
    page.get_by_role("button", name="Stelle finden").click()
    expect(page.get_by_text("Angezeigt für:")).to_be_visible()
    expect(page.locator(".service-card").first.locator(".office")).to_contain_text("Stadt Frei")
    assert_accessible(page)

    page.get_by_role("link", name="Hundesteueranmeldung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hundesteueranmeldung")
    expect(page.get_by_role("heading", name="Ihre zuständige Stelle")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Antrag stellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung zur Hundesteuer")
    assert_accessible(page)

    # First without the dog's name: a clear message next to the field, nothing stored.
    page.get_by_label("Name der Halterin oder des Halters").fill("Erika Mustermann")
    page.get_by_label("Rasse oder Mischling").fill("Dackel")
    page.get_by_label("Hund gehalten seit").fill("2026-01-15")
    page.get_by_role("button", name="Antrag absenden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte füllen Sie dieses Feld aus.")
    expect(page.get_by_label("Name des Hundes")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not Application.objects.exists()

    page.get_by_label("Name des Hundes").fill("Bello")
    page.get_by_label("Der Hund wurde als gefährlich eingestuft").check()
    page.get_by_role("button", name="Antrag absenden").click()

    application = Application.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Antrag {application.reference}: Hundesteueranmeldung"
    )
    expect(page.get_by_role("status")).to_contain_text("Ihr Antrag ist eingegangen")
    assert_accessible(page)
    assert application.data["hund_name"] == "Bello"
    assert application.data["gefaehrlich"] is True
    assert application.authority == region.stadt

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Meine Anliegen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anliegen")
    card = page.locator(f"#application-{application.pk}-title")
    expect(card).to_have_text(f"Antrag {application.reference}: Hundesteueranmeldung")
    expect(page.locator(".report-card", has=card).locator(".status")).to_have_text("neu")
    assert_accessible(page)


def test_staff_work_the_application_and_the_citizen_reads_the_reply(
    live_server: Any,
    page: Page,
    region: Region,  # noqa: F811
    catalogue: dict[str, Service],  # noqa: F811
    erika: User,
) -> None:
    from accounts.models import Role
    from catalogue.models import AuthorityPage
    from catalogue.services import application_submit
    from tests.catalogue.conftest import DOG_FORM, IN_STADT
    from tests.factories import staff

    application = application_submit(
        catalogue["hundesteueranmeldung"], applicant=erika, point=IN_STADT, data=DOG_FORM
    )
    worker = staff(region.stadt, Role.DISPATCHER, email="amt@example.org")
    EmailAddress.objects.create(user=worker, email=worker.email, primary=True, verified=True)
    AuthorityPage.objects.create(
        authority=region.stadt,
        welcome="Willkommen in Frei!",
        imprint_url="https://frei.example.org/impressum",
    ).featured.set([catalogue["hundesteueranmeldung"]])

    # The town's branded start page.
    page.goto(f"{live_server.url}/stelle/{region.stadt.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadt Frei")
    assert_accessible(page)

    log_in(page, live_server, worker, landing="/arbeit/")  # staff land on the work queue
    page.goto(f"{live_server.url}/dienstleistungen/bearbeitung/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anträge meiner Stelle")
    assert_accessible(page)
    page.get_by_role("link", name=application.reference).click()
    assert_accessible(page)
    page.get_by_label("Neuer Status").select_option("in_review")
    page.get_by_label("Hinweis für die Antragstellerin / den Antragsteller").fill("Wird geprüft.")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.locator(".facts .status").first).to_have_text("in Prüfung")
    page.get_by_label("Ihre Nachricht").fill("Bitte senden Sie den Haftpflichtnachweis.")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_role("status")).to_contain_text("Die Nachricht wurde gesendet.")
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, live_server, erika)
    page.get_by_role("link", name=f"Antrag {application.reference}: Hundesteueranmeldung").click()
    expect(page.get_by_text("Bitte senden Sie den Haftpflichtnachweis.")).to_be_visible()
    expect(page.locator(".facts .status").first).to_have_text("in Prüfung")
    assert_accessible(page)


def test_step_up_page_for_a_service_that_needs_verified_identity(
    live_server: Any,
    page: Page,
    region: Region,  # noqa: F811
    catalogue: dict[str, Service],  # noqa: F811
    erika: User,
) -> None:
    log_in(page, live_server, erika)
    page.goto(f"{live_server.url}/dienstleistungen/meldebescheinigung/?ort=Stadt+Frei")
    expect(
        page.get_by_text("Für diese Leistung ist eine geprüfte Identität nötig.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Antrag stellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Identität nachweisen")
    expect(page.get_by_role("alert")).to_contain_text("Online-Ausweis")
    assert_accessible(page)
    assert not Application.objects.exists()
