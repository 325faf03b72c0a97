"""Reporting in a real browser: by map click, by keyboard only, without JavaScript, duplicates,
and axe-core checks of every citizen page.

The live server runs in this process: Celery tasks run eagerly and emails land in
django.core.mail.outbox, so a test can follow the confirmation link it was sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import LineString, Point
from django.core import mail
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from playwright.sync_api import Browser, Page, expect

from boundaries.models import Level
from geo.models import AssetType, RoadClass
from tests.e2e.conftest import assert_accessible
from tests.factories import AssetFactory, CategoryFactory, RoadFactory, box, territory
from tracker import services
from tracker.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIMEOUT = 10_000


@pytest.fixture
def region(settings: Any) -> dict[str, Any]:
    # No base tiles: nothing may be fetched from outside the live server.
    settings.MAP_TILE_URL = ""
    kreis = territory(
        "Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.2, 53.1), email="kreis@example.org"
    )
    territory("Heidestadt", Level.GEMEINDE, box(10.0, 53.0, 10.1, 53.1))
    territory("Moordorf", Level.GEMEINDE, box(10.1, 53.0, 10.2, 53.1))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.02, 53.02), (10.04, 53.02)))
    RoadFactory.create(name="Lindenweg", geom=LineString((10.15, 53.05), (10.17, 53.05)))
    RoadFactory.create(
        ref="K 12",
        road_class=RoadClass.KREISSTRASSE,
        owner=kreis,
        geom=LineString((10.05, 53.05), (10.15, 53.05)),
    )
    AssetFactory.create(geom=Point(10.031, 53.0201), asset_type=AssetType.STREETLIGHT)
    muell = CategoryFactory.create(slug="wilder-muell", name="Wilder Müll", level=Level.KREIS)
    CategoryFactory.create(
        slug="strassenbeleuchtung", name="Straßenbeleuchtung", asset_type=AssetType.STREETLIGHT
    )
    return {"kreis": kreis, "muell": muell}


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "schaden.jpg"
    Image.new("RGB", (320, 240), (150, 110, 60)).save(path, "JPEG")
    return path


@pytest.fixture
def outside_requests(page: Page, live_server: Any) -> Iterator[list[str]]:
    """Every request the page makes to anywhere but the live server (there must be none)."""
    seen: list[str] = []

    def check(url: str) -> None:
        # blob: and data: URLs (photo previews) never leave the browser.
        if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(
            live_server.url
        ):
            seen.append(url)

    page.on("request", lambda request: check(request.url))
    yield seen


def confirmation_path() -> str:
    citizen_mail = next(m for m in mail.outbox if "kreis@example.org" not in m.to)
    match = re.search(r"/bestaetigen/[\w-]+/", str(citizen_mail.body))
    assert match, citizen_mail.body
    return match.group()


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def confirm_and_track(page: Page, live_server: Any, *, keyboard: bool = False) -> None:
    page.goto(live_server.url + confirmation_path())
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldung bestätigen")
    if keyboard:
        tab_to(page, "main form button[type=submit]")
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name="Meldung bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ist bestätigt")
    link = page.get_by_role("link", name="Bearbeitungsstand verfolgen")
    if keyboard:
        tab_to(page, "a.button--primary")
        page.keyboard.press("Enter")
    else:
        link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(Report.objects.get().reference)
    expect(page.locator("main")).to_contain_text("Aktueller Stand: neu")
    expect(page.locator("main")).to_contain_text("Bestätigt am")


def test_guest_reports_by_clicking_on_the_map_with_a_photo(
    live_server: Any, page: Page, region: dict, photo: Path, outside_requests: list[str]
) -> None:
    page.goto(live_server.url + "/melden/")
    map_box = page.locator("#map")
    expect(map_box).to_be_visible()
    expect(page.locator("#map .leaflet-overlay-pane path").first).to_be_attached(timeout=TIMEOUT)
    box_ = map_box.bounding_box()
    assert box_ is not None
    # The service area fills the view; this point lies in Heidestadt.
    page.mouse.click(box_["x"] + box_["width"] * 0.3, box_["y"] + box_["height"] * 0.6)
    # At the whole county's zoom a tap is not yet the place: the map zooms in and asks.
    expect(page.locator("#location-status")).to_contain_text("Tippen Sie genau")
    assert page.locator("#id_lat").input_value() == ""
    page.get_by_role("button", name="Diese Stelle übernehmen").click()
    expect(page.locator("#location-status")).to_contain_text("Ort gewählt")
    assert page.locator("#id_lat").input_value()

    page.select_option("#id_category", "wilder-muell")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum: Landkreis Test")
    page.fill("#id_description", "Sperrmüll am Waldrand, seit einer Woche.")
    page.set_input_files("#id_photos", str(photo))
    expect(page.locator("#photo-previews img")).to_have_count(1)
    page.fill("#id_email", "buerger@example.org")
    page.get_by_role("button", name="Meldung absenden").click()

    page.wait_for_url(re.compile(r"/meldungen/\d+/danke/$"), timeout=TIMEOUT)
    report = Report.objects.get()
    expect(page.locator("#report-reference")).to_have_text(report.reference)
    expect(page.locator("main")).to_contain_text("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    assert report.photos.count() == 1
    assert report.authority == region["kreis"]
    assert 10.0 < report.location.x < 10.1

    confirm_and_track(page, live_server)
    assert Report.objects.get().is_confirmed
    assert outside_requests == []


def test_keyboard_only_report_without_touching_the_map(
    live_server: Any, page: Page, region: dict
) -> None:
    page.goto(live_server.url + "/melden/")
    expect(page.locator("#map-pane")).to_be_visible()
    tab_to(page, "#id_place")
    page.keyboard.type("Lindenweg Heidestadt")
    page.keyboard.press("Enter")  # searches; a single hit is taken at once
    expect(page.locator("#location-status")).to_contain_text("Lindenweg, Heidestadt")
    tab_to(page, "#id_category")
    page.keyboard.type("Wilder")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum: Landkreis Test")
    tab_to(page, "#id_description")
    page.keyboard.type("Kühlschrank am Straßenrand")
    tab_to(page, "#id_email")
    page.keyboard.type("tastatur@example.org")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/meldungen/\d+/danke/$"), timeout=TIMEOUT)
    report = Report.objects.get()
    assert report.address == "Lindenweg, Heidestadt"
    assert (round(report.location.x, 3), round(report.location.y, 3)) == (10.03, 53.02)
    confirm_and_track(page, live_server, keyboard=True)


def test_keyboard_only_report_without_javascript(
    live_server: Any, browser: Browser, region: dict
) -> None:
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/melden/")
    expect(page.locator("#map-pane")).to_be_hidden()
    tab_to(page, "#id_place")
    page.keyboard.type("Lindenweg")  # in two towns: the server asks which one
    tab_to(page, "#id_category")
    page.keyboard.type("Wilder")
    tab_to(page, "#id_description")
    page.keyboard.type("Alte Reifen im Graben")
    tab_to(page, "#id_email")
    page.keyboard.type("ohne-js@example.org")
    page.keyboard.press("Enter")

    expect(page.locator("#error-summary")).to_contain_text("Mehrere Orte passen")
    assert not Report.objects.exists()
    tab_to(page, "#id_place_choice_0")
    page.keyboard.press("ArrowDown")  # radio group: the second town
    expect(page.locator("#id_place_choice_1")).to_be_checked()
    tab_to(page, "#submit-report")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/meldungen/\d+/danke/$"), timeout=TIMEOUT)
    report = Report.objects.get()
    assert round(report.location.x, 2) == 10.16  # Lindenweg in Moordorf
    expect(page.locator("#report-reference")).to_have_text(report.reference)
    confirm_and_track(page, live_server, keyboard=True)
    context.close()


def test_errors_from_the_api_are_shown_at_the_fields(
    live_server: Any, page: Page, region: dict
) -> None:
    page.goto(live_server.url + "/melden/")
    page.get_by_role("button", name="Meldung absenden").click()
    expect(page.locator("#error-summary")).to_contain_text("Bitte wählen Sie den Ort")
    expect(page.locator("#id_place")).to_be_focused()

    page.fill("#id_place", "Lindenweg Heidestadt")
    page.press("#id_place", "Enter")
    expect(page.locator("#location-status")).to_contain_text("Lindenweg")
    page.get_by_role("button", name="Meldung absenden").click()
    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Kategorie")
    expect(summary).to_contain_text("E-Mail-Adresse")
    expect(page.locator("#id_category")).to_be_focused()
    expect(page.locator("#id_category")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email-error")).to_be_visible()
    assert not Report.objects.exists()
    assert_accessible(page)


def test_an_affected_citizen_supports_the_existing_report_instead(
    live_server: Any, page: Page, region: dict
) -> None:
    existing = services.report_create(
        category=region["muell"],
        point=Point(10.0301, 53.0201, srid=4326),
        description="Sperrmüll am Lindenweg",
        contact=services.Contact(email="erste@example.org"),
    )
    services.report_confirm(existing)
    page.goto(live_server.url + "/melden/")
    page.fill("#id_place", "Lindenweg Heidestadt")
    page.press("#id_place", "Enter")
    page.select_option("#id_category", "wilder-muell")
    nearby = page.locator("#nearby")
    expect(nearby).to_contain_text("Sperrmüll am Lindenweg")
    assert_accessible(page)
    nearby.get_by_label("Ihre E-Mail-Adresse für Nachrichten zu dieser Meldung").fill(
        "zweite@example.org"
    )
    nearby.get_by_role("button", name="Ich bin auch betroffen").click()
    expect(page.locator("#support-done")).to_contain_text("Betroffene Personen: 1")
    expect(page.locator("#report-form")).to_be_hidden()
    existing.refresh_from_db()
    assert existing.supporter_count == 1
    assert Report.objects.count() == 1


def test_the_place_can_come_from_the_photo(
    live_server: Any, page: Page, region: dict, tmp_path: Path
) -> None:
    # A photo taken at 53° 1' 12" N, 10° 1' 48" E (53.02, 10.03): in Heidestadt.
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (IFDRational(53), IFDRational(1), IFDRational(12)),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (IFDRational(10), IFDRational(1), IFDRational(48)),
    }
    path = tmp_path / "mit-ort.jpg"
    Image.new("RGB", (160, 120), (90, 90, 90)).save(path, "JPEG", exif=exif)

    page.goto(live_server.url + "/melden/")
    page.set_input_files("#id_photos", str(path))
    button = page.get_by_role("button", name="Ort aus Foto übernehmen")
    expect(button).to_be_visible(timeout=TIMEOUT)
    button.click()
    expect(page.locator("#location-status")).to_contain_text("Ort aus dem Foto übernommen")
    assert page.locator("#id_lat").input_value() == "53.020000"
    assert page.locator("#id_lon").input_value() == "10.030000"
    page.select_option("#id_category", "wilder-muell")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum: Landkreis Test")


def test_clicking_a_streetlight_reports_that_streetlight(
    live_server: Any, page: Page, region: dict
) -> None:
    page.goto(live_server.url + "/melden/")
    page.fill("#id_place", "Lindenweg Heidestadt")
    page.press("#id_place", "Enter")  # zooms in far enough to show the assets
    light = page.locator("#map path.asset-marker--streetlight")
    expect(light).to_have_count(1, timeout=TIMEOUT)
    light.click()
    expect(page.locator("#id_category")).to_have_value("strassenbeleuchtung")
    expect(page.locator("#location-status")).to_contain_text("Straßenlaterne L-")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum: Heidestadt")


def test_public_map_shows_reports_clustered_and_listed(
    live_server: Any, page: Page, region: dict
) -> None:
    for i in range(6):
        report = services.report_create(
            category=region["muell"],
            point=Point(10.03 + i * 0.0005, 53.02, srid=4326),
            description=f"Fall {i}",
            contact=services.Contact(email="b@example.org"),
        )
        services.report_confirm(report)
    page.goto(live_server.url + "/karte/")
    expect(page.locator("#report-list-heading")).to_contain_text("6 Meldungen im Kartenausschnitt")
    expect(page.locator("#report-list li")).to_have_count(6)
    expect(page.locator(".cluster-icon").first).to_be_visible()
    page.select_option("#filter-status", "done")
    expect(page.locator("#report-list-heading")).to_contain_text("0 Meldungen")
    assert "status=done" in page.url
    page.select_option("#filter-status", "open")
    expect(page.locator("#report-list li")).to_have_count(6)
    page.locator("#report-list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wilder Müll")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 860)], ids=["phone", "desktop"])
def test_citizen_pages_pass_axe(
    live_server: Any, browser: Browser, region: dict, width: int, height: int
) -> None:
    report = services.report_create(
        category=region["muell"],
        point=Point(10.03, 53.02, srid=4326),
        description="Sperrmüll",
        contact=services.Contact(email="b@example.org", name="Erika", phone="0171"),
    )
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": height})
    page = context.new_page()

    # Thanks page: only for the session that filed a report, so file one in this browser.
    page.goto(live_server.url + "/melden/")
    page.fill("#id_place", "Lindenweg Heidestadt")
    page.press("#id_place", "Enter")
    page.select_option("#id_category", "wilder-muell")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum")
    assert_accessible(page)  # the report page with the map, a pin and the routing text
    page.fill("#id_description", "Noch mehr Müll")
    page.fill("#id_email", "axe@example.org")
    page.get_by_role("button", name="Meldung absenden").click()
    page.wait_for_url(re.compile(r"/danke/$"), timeout=TIMEOUT)
    assert_accessible(page)

    page.goto(live_server.url + f"/bestaetigen/{report.confirmation_token}/")
    assert_accessible(page)
    page.get_by_role("button", name="Meldung bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ist bestätigt")
    assert_accessible(page)

    page.goto(live_server.url + f"/verfolgen/{report.tracking_token}/")
    assert_accessible(page)

    page.goto(live_server.url + f"/meldungen/{report.pk}/")
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/karte/")
    expect(page.locator("#report-list-heading")).to_contain_text("im Kartenausschnitt")
    assert_accessible(page)

    page.goto(live_server.url + "/")
    assert_accessible(page)
    context.close()
