"""Meine Daten herunterladen in Chromium: from the account page to the ZIP, axe-core clean in
German and English, the guest's confirmation page, the staff form; screenshots at desktop and
phone size (into $MM_SCREENSHOTS, default /tmp/mm-screenshots)."""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from accounts.models import Role, User
from privacy import exports
from tests.e2e.conftest import assert_accessible
from tests.factories import AuthorityFactory, ReportFactory, UserFactory, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("MM_SCREENSHOTS", Path(tempfile.gettempdir()) / "mm-screenshots"))
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def log_in(page: Page, live_server: Any, user: User, path: str) -> None:
    page.goto(live_server.url + path)
    expect(page).to_have_url(re.compile(r"/konto/login/\?next="))
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + path)


def test_citizen_downloads_her_data(live_server: Any, page: Page) -> None:
    anna = UserFactory.create(email="anna@example.org")
    EmailAddress.objects.create(user=anna, email=anna.email, verified=True, primary=True)
    authority = AuthorityFactory.create(name="Gemeinde Musterdorf")
    ReportFactory.create(reporter=anna, reporter_email=anna.email, authority=authority)
    log_in(page, live_server, anna, "/konto/")
    page.get_by_role("link", name="Meine Daten herunterladen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten herunterladen")
    shoot(page, "privacy-my-data-empty")
    page.get_by_role("button", name="Archiv erstellen").click()
    # Tasks run eagerly here: the archive is built on commit of the request.
    expect(page.get_by_role("status").first).to_contain_text("zusammengestellt")
    page.reload()
    link = page.get_by_role("link", name="Archiv herunterladen (ZIP)")
    expect(link).to_be_visible()
    shoot(page, "privacy-my-data-ready")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("maengelmelder-meine-daten-")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert "README.txt" in archive.namelist() and "meldungen.json" in archive.namelist()
    # English.
    context = page.context
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/konto/daten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download my data")
    shoot(page, "privacy-my-data-en")


def test_guest_confirmation_page_and_staff_form(live_server: Any, page: Page) -> None:
    authority = AuthorityFactory.create(name="Landkreis Muster")
    ReportFactory.create(authority=authority, reporter_email="gast@example.org")
    dpo = staff(authority, Role.DATA_PROTECTION, is_staff=True)
    EmailAddress.objects.create(user=dpo, email=dpo.email, verified=True, primary=True)
    item = exports.request_for_guest("gast@example.org", by=dpo, authority_id=authority.pk)
    page.goto(live_server.url + f"/datenauskunft/{item.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auskunft über Ihre Daten")
    shoot(page, "privacy-guest-confirm")
    with page.expect_navigation():  # the confirmation's answer, before the reload
        page.get_by_role("button", name="Auskunft bestätigen").click()
    page.reload()
    expect(page.get_by_role("link", name="Archiv herunterladen (ZIP)")).to_be_visible()
    shoot(page, "privacy-guest-ready")
    page.context.clear_cookies()
    log_in(page, live_server, dpo, "/datenschutz/gast-auskunft/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auskunft für Personen ohne Konto")
    page.get_by_role("button", name="Bestätigungslink senden").click()
    expect(page.locator(".form-errors")).to_be_visible()
    shoot(page, "privacy-staff-guest")


def test_privacy_statement_with_the_record_passes_axe(live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/datenschutz/")
    expect(
        page.get_by_role("heading", name="Verarbeitungstätigkeiten im Einzelnen")
    ).to_be_visible()
    expect(page.locator("#verarbeitung-data_export")).to_be_visible()
    shoot(page, "privacy-statement")
