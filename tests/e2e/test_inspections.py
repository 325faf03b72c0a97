"""A Streckenkontrolle on a phone (390 x 844) with a fake GPS: the crew starts the round from
the route, drives (the position moves, the track is posted), logs a Befund with one tap and
ends the round; the driven segments are inspected. The route map draws the track as it
grows. axe-core checks the round page."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import PHONE, log_in
from tests.tracker.inspections.fixtures import LAT, STARTS, make_roads
from tracker.inspections.models import InspectionRound, SegmentInspection
from tracker.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("MM_SCREENSHOTS")  # a folder: save screenshots there to look at them


def test_crew_walks_a_round_on_a_phone(live_server: Any, browser: Browser, settings: Any) -> None:
    settings.MAP_TILE_URL = ""
    roads = make_roads()
    crew = roads.world.crew
    EmailAddress.objects.create(user=crew, email=crew.email, primary=True, verified=True)
    context = browser.new_context(
        locale="de-DE",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": LAT, "longitude": STARTS[0]},
        permissions=["geolocation"],
    )
    page = context.new_page()
    log_in(page, live_server, crew)
    page.get_by_role("link", name="Alle Routen und Kontrollfahrten").click()
    page.get_by_role("link", name="Kreisstraßen Nord").click()
    page.get_by_role("button", name="Kontrollfahrt beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrollfahrt")
    expect(page.locator("#gps-state")).to_contain_text("GPS-Spur wird aufgezeichnet")

    # The route map is drawn (while the page is busy drawing, a phone may skip fixes).
    expect(page.locator("#round-map")).to_have_attribute(
        "data-basemap", re.compile("^(loaded|no-webgl|none|failed)$"), timeout=30_000
    )
    # Drive east along the first two segments.
    for step in range(1, 21):
        context.set_geolocation({"latitude": LAT, "longitude": STARTS[0] + 0.001 * step})
        page.wait_for_timeout(60)
    expect(page.locator("#gps-count")).to_have_text(re.compile(r"^(1[5-9]|2[01])$"))
    # The route map: three segments, the track growing live and the last position.
    expect(page.locator("#round-map .leaflet-overlay-pane path")).to_have_count(5)
    track_points = page.evaluate(
        "() => { let n = 0; MM.maps[0].eachLayer(l => { if (l.options.dashArray === '2 6')"
        " n = l.getLatLngs().length; }); return n; }"
    )
    assert track_points >= 15
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/round-390.png", full_page=True)
    assert_accessible(page)

    page.get_by_label("Sofortmaßnahme").select_option(label="Abgesperrt (Bake/Absperrschranke)")
    page.get_by_role("button", name="Befund speichern").click()
    expect(page.locator(".staff-message--success")).to_contain_text("erfasst")
    report = Report.objects.get(source=Report.Source.INSPECTION)
    assert abs(report.location.x - (STARTS[0] + 0.02)) < 0.0005

    page.get_by_role("button", name="Fahrt beenden").click()
    expect(page.locator(".inspect__result")).to_have_text("kontrolliert, 1 Befund")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/round-done-390.png", full_page=True)
    assert_accessible(page)
    round_ = InspectionRound.objects.get()
    assert round_.state == InspectionRound.State.FINISHED and round_.track is not None
    inspected = set(SegmentInspection.objects.values_list("segment_id", flat=True))
    assert inspected == {roads.segments[0].pk, roads.segments[1].pk}
    context.close()
