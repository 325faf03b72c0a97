"""Planner pages in a real browser: the heatmap draws its density cells from our own API
(no tile server), the statistics page draws its charts with Chart.js from npm and keeps the
numbers in tables; axe-core checks both, and the printable Lagebild."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from planning.selectors import refresh_report_facts
from tests.e2e.conftest import assert_accessible
from tests.planning.conftest import Region, populated, region  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory's


@pytest.fixture
def planner_world(settings: Any, populated: Region) -> Region:  # noqa: F811
    # No base tiles: nothing may be fetched from outside the live server.
    settings.MAP_TILE_URL = ""
    user = populated.kreis_planner
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    refresh_report_facts(concurrently=False)
    return populated


def log_in(page: Page, live_server: Any, user: User) -> None:
    page.goto(live_server.url + "/planung/")
    expect(page).to_have_url(re.compile(r"/konto/login/\?next=/planung/$"))
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/planung/")


def test_planner_sees_heatmap_and_statistics(
    live_server: Any, browser: Browser, planner_world: Region
) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    log_in(page, live_server, planner_world.kreis_planner)

    # Heatmap: cells drawn from /api/v1/planning/bins, the total announced for screen readers
    expect(page.get_by_role("heading", level=1)).to_have_text("Planung: Dichte der Meldungen")
    expect(page.get_by_role("link", name="Planung", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#bins-status")).to_contain_text("12 Meldungen")
    expect(page.locator("#planning-map path.leaflet-interactive").first).to_be_attached()
    assert_accessible(page)

    # Statistics: charts and the same numbers in tables
    page.get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planung: Statistik")
    expect(page.locator("#chart-category")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-category')")
    table = page.get_by_role("table", name="Meldungen nach Kategorie")
    expect(table.get_by_role("row", name=re.compile("Schlagloch 10"))).to_be_visible()
    assert_accessible(page)

    # Filtering by category keeps the filters in the URL
    # (multi-value filters are check-box lists behind a disclosure, not Ctrl-click selects)
    page.locator("details.multi-select summary", has_text="Kategorie").click()
    page.get_by_role("checkbox", name="Straßenlaterne defekt").check()
    expect(page.locator("details.multi-select summary", has_text="Kategorie")).to_contain_text(
        "1 gewählt"
    )
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(r"category=laterne"))
    expect(page.locator(".planning-figures dd").first).to_have_text("2")
    expect(page.locator("input[name=category][value=laterne]")).to_be_checked()

    # The printable Lagebild: folium with our Leaflet
    page.goto(live_server.url + "/planung/lagebild/nord/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lagebild Gemeinde Nord")
    expect(page.locator(".folium-map.leaflet-container")).to_be_visible()
    assert_accessible(page)
    assert external == [], external
    context.close()
