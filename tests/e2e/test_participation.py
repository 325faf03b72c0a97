"""Participation on development plans in Chromium: the demo plan's page with its area on the
map, a pin set inside the area (and refused outside), a statement submitted with it, the
receipt page, the staff page; axe-core clean, usable without JavaScript (no pin then),
screenshots at desktop and phone size (into $MM_SCREENSHOTS, default /tmp/mm-screenshots)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from data.demo import load_demo
from data.demo_participation import load_demo_participation
from participation.models import Plan, Statement
from tests.e2e.conftest import assert_accessible
from tests.factories import staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("MM_SCREENSHOTS", Path(tempfile.gettempdir()) / "mm-screenshots"))
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory's


@pytest.fixture
def demo_plan() -> Plan:
    load_demo(commit=True)
    load_demo_participation(commit=True)
    return Plan.objects.get()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _click_map(page: Page, lon: float, lat: float) -> None:
    """Click the map where (lon, lat) is on screen (through Leaflet's own projection)."""
    x, y = page.evaluate(
        """([lon, lat]) => {
            const map = window.MM.maps[0];
            const p = map.latLngToContainerPoint([lat, lon]);
            return [p.x, p.y];
        }""",
        [lon, lat],
    )
    page.locator("#map").click(position={"x": x, "y": y})


def test_statement_with_pin_inside_the_area(live_server: Any, page: Page, demo_plan: Plan) -> None:
    page.goto(live_server.url + "/beteiligung/")
    assert_accessible(page)
    shoot(page, "participation-list")
    page.get_by_role("link", name="Nr. 12 Am Mühlenbach").click()
    expect(page.locator("#map")).to_be_visible()
    page.wait_for_selector("#map path.leaflet-interactive, #map path")
    assert demo_plan.area is not None
    centre = demo_plan.area.centroid
    west, _south, east, _north = demo_plan.area.extent
    page.evaluate(
        "() => { const m = window.MM.maps[0]; m.setZoom(m.getZoom() - 2, {animate: false}); }"
    )
    _click_map(page, east + (east - west) / 2, centre.y)  # outside
    expect(page.locator("#pin-error")).to_contain_text("außerhalb des Plangebiets")
    _click_map(page, centre.x, centre.y)
    expect(page.locator("#pin-status")).to_contain_text("Markierter Ort")
    expect(page.locator("#pin-error")).to_be_hidden()
    assert page.locator("#id_lat").input_value() != ""
    page.get_by_label("Ihre Stellungnahme").fill("Bitte die Linde an der Einmündung erhalten.")
    page.get_by_label("Ihre E-Mail-Adresse").fill("gast@example.org")
    assert_accessible(page)
    shoot(page, "participation-plan")
    page.get_by_role("button", name="Stellungnahme absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eingangsbestätigung")
    statement = Statement.objects.get()
    assert statement.pin is not None and demo_plan.area.covers(statement.pin)
    expect(page.get_by_text(statement.receipt).first).to_be_visible()
    assert_accessible(page)
    shoot(page, "participation-receipt")


def test_staff_page_passes_axe(live_server: Any, page: Page, demo_plan: Plan) -> None:
    planner = staff(demo_plan.authority, Role.PLANNER)
    EmailAddress.objects.create(user=planner, email=planner.email, primary=True, verified=True)
    page.goto(live_server.url + f"/beteiligung/arbeit/{demo_plan.pk}/")
    expect(page).to_have_url(re.compile(r"/konto/login/"))
    page.get_by_label("E-Mail-Adresse").fill(planner.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + f"/beteiligung/arbeit/{demo_plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nr. 12 Am Mühlenbach")
    assert_accessible(page)
    shoot(page, "participation-staff")


def test_statement_without_javascript(live_server: Any, browser: Browser, demo_plan: Plan) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/beteiligung/{demo_plan.pk}/")
        expect(page.locator("#pin-field")).to_be_hidden()
        page.get_by_label("Ihre Stellungnahme").fill("Ohne Karte geht es auch.")
        page.get_by_label("Ihre E-Mail-Adresse").fill("ohne-js@example.org")
        page.get_by_role("button", name="Stellungnahme absenden").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Eingangsbestätigung")
        assert Statement.objects.get().pin is None
    finally:
        context.close()
