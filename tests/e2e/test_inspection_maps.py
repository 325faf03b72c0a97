"""The maps of the Streckenkontrolle in a browser: the overview draws the roads of the plans
from the status tiles, coloured by status (a finished round's segments inspected, the rest
overdue); a round's page draws its route and GPS track, on a desktop and on a phone. axe-core
checks both pages."""

from __future__ import annotations

import os
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import PHONE, log_in
from tests.tracker.inspections.fixtures import STARTS, drive, make_roads
from tracker.inspections import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("MM_SCREENSHOTS")  # a folder: save screenshots there to look at them
DESKTOP = {"width": 1366, "height": 900}
RENDERED = """() => {
    const gl = MM.maps[0].mmBaseMap.getMaplibreMap();
    return gl.queryRenderedFeatures({layers: ['inspection-roads']})
        .map(f => f.properties.name + ':' + f.properties.status);
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_status_map_and_route_map(
    live_server: Any, browser: Browser, settings: Any, viewport: Any
) -> None:
    settings.MAP_TILE_URL = ""
    roads = make_roads()
    crew = roads.world.crew
    EmailAddress.objects.create(user=crew, email=crew.email, primary=True, verified=True)
    finished = services.round_start(roads.plan, by=crew)
    services.round_add_points(finished, drive(STARTS[0], STARTS[2]), by=crew)
    services.round_end(finished, by=crew)
    running = services.round_start(roads.plan, by=crew)
    services.round_add_points(running, drive(STARTS[0], STARTS[1]), by=crew)

    context = browser.new_context(
        locale="de-DE", viewport=viewport, is_mobile=viewport is PHONE, has_touch=True
    )
    page = context.new_page()
    tiles: list[int] = []
    page.on(
        "response",
        lambda r: tiles.append(r.status) if "/arbeit/kontrollen/kacheln/" in r.url else None,
    )
    log_in(page, live_server, crew)
    page.goto(live_server.url + reverse("inspections:routes"))
    expect(page.locator("#map-pane")).to_be_visible()
    expect(page.locator("#inspection-map")).to_have_attribute(
        "data-inspections", "loaded", timeout=30_000
    )
    assert tiles and set(tiles) == {200}
    drawn = set(page.evaluate(RENDERED))
    assert drawn == {
        "Abschnitt 1:inspected",
        "Abschnitt 2:inspected",
        "Abschnitt 3:overdue",
    }
    expect(page.locator(".inspect__legend").first).to_contain_text("überfällig")
    name = "desktop" if viewport is DESKTOP else "phone"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/inspections-{name}.png", full_page=True)
    assert_accessible(page)

    # Three route segments and the track; while running also the last position.
    for round_, label, paths in ((running, "running", 5), (finished, "done", 4)):
        page.goto(live_server.url + reverse("inspections:round", args=[round_.pk]))
        expect(page.locator("#map-pane")).to_be_visible()
        expect(page.locator("#round-map .leaflet-overlay-pane path")).to_have_count(paths)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/round-{label}-{name}.png", full_page=True)
        assert_accessible(page)
    context.close()
