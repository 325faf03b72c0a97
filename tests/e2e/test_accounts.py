"""The Bürgerkonto in a real browser: sign up, confirm by the emailed link, land logged in on
Meine Anliegen with an earlier guest report attached — axe-core checks along the way."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.conftest import assert_accessible
from tests.factories import AuthorityFactory, CategoryFactory
from tracker.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "erika@example.org"
PASSWORD = "Sicheres-Passwort-2025"
CONFIRM_URL = re.compile(r"https?://\S+/konto/confirm-email/\S+/")


def guest_report(email: str) -> Report:
    """A guest report stored directly: the browser test is about the account, not intake
    (and no notification task runs on commit)."""
    category = CategoryFactory.create(name="Defekte Straßenlaterne")
    authority = AuthorityFactory.create(name="Gemeinde Musterdorf")
    return Report.objects.create(
        category=category,
        location=Point(10.1, 53.05, srid=4326),
        description="Laterne flackert",
        authority=authority,
        routing_reason="fixed",
        reporter_email=email,
        confirmation_token=secrets.token_urlsafe(32),
        tracking_token=secrets.token_urlsafe(32),
    )


def test_sign_up_confirm_and_see_my_reports(live_server: Any, page: Page) -> None:
    report = guest_report(EMAIL)

    page.goto(live_server.url + "/konto/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)

    page.get_by_role("link", name="Jetzt registrieren").click()
    expect(page).to_have_url(re.compile(r"/konto/signup/$"))
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    )
    assert_accessible(page)
    (message,) = [m for m in mail.outbox if EMAIL in m.to]
    match = CONFIRM_URL.search(str(message.body))
    assert match, message.body

    page.goto(match.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigen")
    page.get_by_role("button", name="Bestätigen").click()

    expect(page).to_have_url(live_server.url + "/konto/anliegen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Anliegen")
    # (the other status region is the live-status announcer of the report list)
    expect(page.get_by_role("status").filter(has_text="angemeldet als")).to_contain_text(
        "angemeldet als " + EMAIL
    )
    # The guest report made with this address before signing up is now in the account.
    expect(page.get_by_role("heading", level=2)).to_contain_text(report.reference)
    expect(page.get_by_text("Gemeinde Musterdorf")).to_be_visible()
    assert_accessible(page)


def test_account_pages_pass_axe_and_deletion_works_in_the_browser(
    live_server: Any, page: Page
) -> None:
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    report = guest_report(EMAIL)

    page.goto(live_server.url + "/konto/anliegen/")
    expect(page).to_have_url(re.compile(r"/konto/login/\?next=/konto/anliegen/$"))
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/konto/anliegen/")

    for path in ("/konto/", "/konto/email/", "/konto/password/change/", "/konto/loeschen/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    page.get_by_label("Aktuelles Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Konto endgültig löschen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Konto wurde gelöscht")
    assert_accessible(page)
    assert not User.objects.filter(email=EMAIL).exists()
    report.refresh_from_db()
    assert (report.reporter_id, report.reporter_email) == (None, "")
