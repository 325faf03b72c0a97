"""Where the problem is, as a citizen on a phone finds it: a far-out tap zooms in and asks,
the pin is named by street and town, "K 12" asks for the exact spot, house numbers are found,
and the photo-first path takes the photo's position (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from playwright.sync_api import Browser, Page, ViewportSize, expect

from geo.models import AddressPoint
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_reporting import TIMEOUT, region  # noqa: F401 - the shared fixture
from tracker.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}


@pytest.fixture
def houses(region: dict) -> None:  # noqa: F811 - pytest fixture injection
    # Lindenweg in Heidestadt runs along 53.02 from 10.02 to 10.04.
    AddressPoint.objects.create(
        street="Lindenweg",
        house_number="5",
        postcode="00101",
        town="Heidestadt",
        geom=Point(10.03, 53.0201, srid=4326),
    )


@pytest.fixture
def phone(browser: Browser) -> Any:
    context = browser.new_context(locale="de-DE", viewport=PHONE, has_touch=False)
    yield context.new_page()
    context.close()


def gps_photo(tmp_path: Path) -> Path:
    """A JPEG taken at 53° 1' 12" N, 10° 1' 48" E (53.02, 10.03): on Lindenweg 5."""
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (IFDRational(53), IFDRational(1), IFDRational(12)),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (IFDRational(10), IFDRational(1), IFDRational(48)),
    }
    path = tmp_path / "schlagloch.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(path, "JPEG", exif=exif)
    return path


def test_a_far_out_tap_zooms_in_and_the_pin_is_named_by_street_and_town(
    live_server: Any, page: Page, houses: None
) -> None:
    page.goto(live_server.url + "/melden/")
    expect(page.locator("#map .leaflet-overlay-pane path").first).to_be_attached(timeout=TIMEOUT)
    expect(page.locator(".leaflet-control-scale-line")).to_contain_text(re.compile(r"\d+ k?m"))
    # Use the keyboard path: the map centre (the whole Kreis) is far too coarse.
    page.get_by_role("button", name="Kartenmitte als Ort").click()
    expect(page.locator("#location-status")).to_contain_text("Tippen Sie genau")
    assert page.locator("#id_lat").input_value() == ""
    assert page.evaluate("() => document.querySelector('#map .pin-icon') === null")

    # Now zoomed in: a search puts the pin on a house, named in the status and on the pin.
    page.fill("#id_place", "Lindenweg 5, Heidestadt")
    page.press("#id_place", "Enter")
    expect(page.locator("#location-status")).to_contain_text(
        "Ort gewählt: Lindenweg 5, 00101 Heidestadt"
    )
    expect(page.locator(".pin-label")).to_have_text("Lindenweg 5, 00101 Heidestadt")

    # Dragging or tapping elsewhere: the reverse lookup names the new place.
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    expect(page.locator("#location-status")).to_contain_text(
        re.compile(r"Ort gewählt: (Lindenweg \d+, 00101 Heidestadt|Lindenweg, Heidestadt)")
    )
    page.select_option("#id_category", "wilder-muell")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum: Landkreis Test")
    expect(page.locator("#routing")).to_contain_text("Der Ort liegt in Heidestadt")


def test_an_unknown_house_number_chooses_the_street_and_says_so(
    live_server: Any, page: Page, houses: None
) -> None:
    page.goto(live_server.url + "/melden/")
    page.fill("#id_place", "Lindenweg 99, Heidestadt")
    page.press("#id_place", "Enter")
    expect(page.locator("#location-status")).to_contain_text(
        "Hausnummer 99 nicht gefunden, Straße gewählt"
    )
    assert page.locator("#id_lat").input_value()


def test_a_road_number_shows_the_road_and_asks_for_the_spot(
    live_server: Any,
    page: Page,
    region: dict,  # noqa: F811
) -> None:
    page.goto(live_server.url + "/melden/")
    page.fill("#id_place", "K 12")
    page.press("#id_place", "Enter")
    expect(page.locator("#location-status")).to_contain_text(
        "K 12 ist auf der Karte zu sehen. Tippen Sie jetzt genau auf die Stelle"
    )
    assert page.locator("#id_lat").input_value() == ""


def test_photo_first_on_a_phone_takes_the_photos_position(
    live_server: Any, phone: Page, houses: None, tmp_path: Path
) -> None:
    page = phone
    page.goto(live_server.url + "/melden/")
    expect(page.locator("#map-pane")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Mit einem Foto beginnen").click()
    chooser.value.set_files(str(gps_photo(tmp_path)))
    expect(page.locator("#location-status")).to_contain_text(
        "Ort aus dem Foto übernommen: Lindenweg 5, 00101 Heidestadt", timeout=TIMEOUT
    )
    expect(page.locator(".pin-label")).to_be_visible()
    assert page.locator("#id_lat").input_value() == "53.020000"
    expect(page.locator("#photo-previews img")).to_have_count(1)

    page.select_option("#id_category", "wilder-muell")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum")
    page.fill("#id_description", "Tiefes Schlagloch vor Nummer 5.")
    page.fill("#id_email", "buerger@example.org")
    page.get_by_role("button", name="Meldung absenden").click()
    page.wait_for_url(re.compile(r"/meldungen/\d+/danke/$"), timeout=TIMEOUT)
    report = Report.objects.get()
    assert report.address == "Lindenweg 5, 00101 Heidestadt"
    assert report.photos.count() == 1


def test_photo_first_without_a_position_asks_for_the_place(
    live_server: Any,
    phone: Page,
    region: dict,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "ohne-ort.jpg"
    Image.new("RGB", (200, 150), (10, 120, 10)).save(path, "JPEG")
    phone.goto(live_server.url + "/melden/")
    with phone.expect_file_chooser() as chooser:
        phone.get_by_role("button", name="Mit einem Foto beginnen").click()
    chooser.value.set_files(str(path))
    expect(phone.locator("#location-status")).to_contain_text("keinen Aufnahmeort")
    assert phone.locator("#id_lat").input_value() == ""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_report_page_passes_axe_while_asking_for_the_spot(
    live_server: Any, browser: Browser, houses: None, viewport: ViewportSize
) -> None:
    context = browser.new_context(locale="de-DE", viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/melden/")
    expect(page.locator("#map-pane")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Kartenmitte als Ort").click()
    expect(page.locator("#zoom-confirm")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Diese Stelle übernehmen").click()
    page.select_option("#id_category", "wilder-muell")
    expect(page.locator("#routing")).to_contain_text("Das kümmert sich darum")
    assert_accessible(page)
    context.close()
