"""Moderation in a real browser, without JavaScript where a citizen needs it: a visitor reports
abuse on a public report page; a dispatcher finds it in the queue under "gemeldet", hides the
description, releases the citizen's photo and resolves the flag. axe-core checks every page;
screenshots at desktop and phone size go to .run/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import assert_accessible
from tests.tracker.staff.fixtures import World, jpeg, make_world
from tracker import services

from .test_staff import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
SHOTS = Path(__file__).resolve().parents[2] / ".run" / "screenshots"


@pytest.fixture
def world(settings: Any) -> World:
    settings.MAP_TILE_URL = ""
    world = make_world()
    EmailAddress.objects.create(
        user=world.dispatcher, email=world.dispatcher.email, primary=True, verified=True
    )
    return world


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_abuse_report_to_moderation(live_server: Any, browser: Browser, world: World) -> None:
    report = services.report_confirm(
        services.report_create(
            category=world.category,
            point=Point(10.1, 53.05, srid=4326),
            description="Schlagloch vor dem Haus von Familie Meier",
            contact=services.Contact(email="buerger@example.org"),
            photos=[jpeg(name="vorher.jpg")],
        )
    )
    # A citizen on a phone, without JavaScript.
    context = browser.new_context(viewport=PHONE, locale="de-DE", java_script_enabled=False)
    citizen = context.new_page()
    citizen.goto(f"{live_server.url}/meldungen/{report.pk}/")
    citizen.get_by_role("link", name="Missbrauch melden").click()
    expect(citizen.get_by_role("heading", name="Missbrauch melden")).to_be_visible()
    assert_accessible_nojs(citizen)
    citizen.get_by_role("button", name="Hinweis senden").click()
    expect(citizen.get_by_role("alert")).to_contain_text("Bitte wählen Sie einen Grund.")
    citizen.get_by_label("Persönliche Daten (Name, Gesicht, Kennzeichen)").check()
    citizen.get_by_label("Hinweis für die Verwaltung").fill("Der Name der Familie steht da.")
    shot(citizen, "abuse-form-phone")
    citizen.get_by_role("button", name="Hinweis senden").click()
    # (the report page also has the live-status announcer, an empty status region)
    expect(citizen.locator(".notice[role=status]")).to_contain_text("prüft Ihren Hinweis")
    context.close()

    # The dispatcher on a desktop.
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    log_in(page, live_server, world.dispatcher)
    page.goto(f"{live_server.url}/arbeit/?moderation=gemeldet")
    expect(page.get_by_text("Missbrauch gemeldet (1)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(report.reference)).first.click()
    expect(page.locator("#abuse-flags")).to_contain_text("Der Name der Familie steht da.")
    assert_accessible(page)
    page.get_by_label("Öffentliche Fassung").fill("Schlagloch vor Hausnummer 3")
    page.get_by_role("button", name="Öffentliche Fassung speichern").click()
    expect(page.locator("#original-description")).to_be_visible()
    page.get_by_role("button", name=re.compile("^veröffentlichen")).first.click()
    expect(page.get_by_text("Foto veröffentlicht.")).to_be_visible()
    shot(page, "staff-moderation-desktop")
    assert_accessible(page)
    page.get_by_role("button", name="Als erledigt markieren").click()
    expect(page.get_by_text("1 Missbrauchsmeldung(en) erledigt.")).to_be_visible()
    page.set_viewport_size(PHONE)
    shot(page, "staff-moderation-phone")
    context.close()

    public = browser.new_page(viewport=DESKTOP)
    public.goto(f"{live_server.url}/meldungen/{report.pk}/")
    expect(public.locator(".report-detail__description")).to_have_text(
        "Schlagloch vor Hausnummer 3"
    )
    expect(public.locator(".photo-grid img")).to_have_count(1)
    shot(public, "public-report-desktop")
    assert_accessible(public)
    public.close()


def assert_accessible_nojs(page: Page) -> None:
    """axe-core needs JavaScript: check the same page again in a scripted context."""
    context = page.context.browser.new_context(viewport=PHONE, locale="de-DE")  # type: ignore[union-attr]
    checked = context.new_page()
    checked.goto(page.url)
    assert_accessible(checked)
    context.close()
