"""The events month view, the events map and the waste lookup in Chromium: axe-core clean,
usable without JavaScript, screenshots at desktop and phone size (into $MM_SCREENSHOTS,
default /tmp/mm-screenshots)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from data.demo import load_demo
from data.demo_calendar import load_demo_calendar
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("MM_SCREENSHOTS", Path(tempfile.gettempdir()) / "mm-screenshots"))
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def demo_calendar() -> None:
    load_demo(commit=True)
    load_demo_calendar(commit=True)


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)


def test_month_view_and_map_pass_axe(live_server, page: Page, demo_calendar: None) -> None:
    page.goto(live_server.url + "/veranstaltungen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Veranstaltungen"
    assert page.get_by_role("link", name="Wochenmarkt auf dem Marktplatz").count() >= 1
    assert_accessible(page)
    shoot(page, "events-month")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.select_option("#id_gemeinde", label="Gemeinde Birkenhain (Demo)")
    page.get_by_role("button", name="Anzeigen").click()
    assert page.get_by_role("link", name="Dorffest Birkenhain").count() >= 1
    assert page.get_by_role("link", name="Wochenmarkt auf dem Marktplatz").count() == 0
    page.goto(live_server.url + "/veranstaltungen/karte/")
    page.wait_for_selector(".event-marker")
    assert_accessible(page)
    shoot(page, "events-map")


def test_waste_lookup_passes_axe(live_server, page: Page, demo_calendar: None) -> None:
    page.goto(live_server.url + "/abfall/")
    page.get_by_label("Ihre Anschrift").fill("Kirchstraße 5, Heidestadt")
    page.get_by_role("button", name="Termine zeigen").click()
    assert page.get_by_role(
        "heading", name="Abfuhrbezirk Nord (Stadt Heidestadt (Demo))"
    ).is_visible()
    assert_accessible(page)
    shoot(page, "waste-lookup")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)


def test_pages_work_without_javascript(live_server, browser: Browser, demo_calendar: None) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/veranstaltungen/")
        page.get_by_role("link", name="nächster Monat").click()
        assert "monat=" in page.url
        page.goto(live_server.url + "/abfall/?adresse=Birkenweg%2C+Birkenhain")
        assert page.get_by_text("Gesamtes Gemeindegebiet").count() >= 1
        page.get_by_label("E-Mail-Adresse").fill("gast@example.org")
        page.get_by_role("button", name="Erinnerung bestellen").click()
        assert page.get_by_text("Fast geschafft").is_visible()
    finally:
        context.close()
