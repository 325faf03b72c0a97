"""The notification pages in a real browser (Playwright + chromium, axe-core): area alerts in
the Bürgerkonto, the unread badge on Meine Anliegen, the unsubscribe confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from accounts.models import User
from notifications import tokens
from tests.e2e.conftest import assert_accessible
from tests.tracker.staff.fixtures import make_world
from tracker import services
from tracker.models import Report, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "erika@example.org"
PASSWORD = "Sicheres-Passwort-2025"


def test_alert_page_badge_and_unsubscribe_are_accessible(live_server: Any, page: Page) -> None:
    world = make_world()
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    report = world.report(email=EMAIL)
    Report.objects.filter(pk=report.pk).update(reporter=user)
    services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)

    page.goto(live_server.url + "/konto/benachrichtigungen/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/konto/benachrichtigungen/")
    assert_accessible(page)

    page.get_by_label("Bezeichnung").fill("Vor der Haustür")
    # The centre by the report form's place search, not by coordinates.
    page.get_by_label("Ort als Mittelpunkt").fill("Moor")
    page.get_by_role("button", name="Ort suchen").click()
    page.locator(".place-result", has_text="Gemeinde Moor").click()
    expect(page.locator("#alert-centre")).to_have_text("Mittelpunkt: Gemeinde Moor")
    assert page.locator("#id_lat").input_value().startswith("53.0")
    page.get_by_label("Umkreis in Metern").fill("400")
    assert_accessible(page)
    page.get_by_label("täglich (Zusammenfassung)").check()
    page.get_by_role("button", name="Benachrichtigung einrichten").click()
    expect(page.get_by_text("Die Benachrichtigung ist eingerichtet.")).to_be_visible()
    expect(page.locator(".alert-list")).to_contain_text("Vor der Haustür")
    assert_accessible(page)

    page.goto(live_server.url + "/konto/anliegen/")
    expect(page.locator(".badge--unread")).to_have_text("1 neue Aktualisierung")
    assert_accessible(page)

    page.goto(live_server.url + tokens.unsubscribe_path(EMAIL, f"report:{report.pk}"))
    assert_accessible(page)
    page.get_by_role("button", name="Ja, abbestellen").click()
    expect(page.get_by_role("status")).to_contain_text("erhält keine E-Mails mehr")
    assert_accessible(page)


def test_an_area_drawn_on_the_map_becomes_an_alert(live_server: Any, page: Page) -> None:
    make_world()
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    page.goto(live_server.url + "/konto/benachrichtigungen/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page.locator("#alert-map")).to_be_visible()
    page.get_by_role("button", name="Polygon zeichnen").click()
    box = page.locator("#alert-map").bounding_box()
    assert box is not None
    corners = [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]
    for fx, fy in corners:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    # closing the ring on the first corner finishes the polygon
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    expect(page.locator("#alert-draw-status")).to_contain_text("Gebiet gezeichnet")
    assert "Polygon" in (page.locator("#id_area").input_value() or "")
    assert_accessible(page)
    page.get_by_role("button", name="Benachrichtigung einrichten").click()
    expect(page.get_by_text("Die Benachrichtigung ist eingerichtet.")).to_be_visible()
    expect(page.locator(".alert-list")).to_contain_text("gezeichnetes Gebiet")
