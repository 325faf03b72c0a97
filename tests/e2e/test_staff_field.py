"""The crew's day on a phone (390 x 844), end to end: log in from the menu, land on the work
queue of the own team, take the report, start it, add the "after" photo, close it. The staff
report page puts status, location with navigation and the next steps on the first screen.
axe-core checks queue and report page on a phone and on a desktop.

Set MM_SCREENSHOT_DIR to keep screenshots of queue and report page at both sizes."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import assert_accessible
from tests.tracker.staff.fixtures import World, make_world
from tracker import services
from tracker.models import Photo, Report, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory's
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}


@pytest.fixture
def world(settings: Any) -> World:
    settings.MAP_TILE_URL = ""  # nothing may be fetched from outside the live server
    world = make_world()
    world.category.requires_after_photo = True
    world.category.save()
    for user in (world.crew, world.dispatcher):
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return world


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "nachher.jpg"
    Image.new("RGB", (320, 240), (60, 110, 150)).save(path, "JPEG")
    return path


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    target = os.environ.get("MM_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=full_page)


def on_first_screen(page: Page, locator: Any) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def phone(browser: Browser) -> Page:
    context = browser.new_context(locale="de-DE", viewport=PHONE, is_mobile=True, has_touch=True)
    return context.new_page()


def test_crew_day_on_a_phone(live_server: Any, browser: Browser, world: World, photo: Path) -> None:
    report = world.report(description="Tiefes Schlagloch an der Gemeindestraße")
    # The dispatcher gives it to the team: that accepts it (tracker.workflow).
    services.report_assign(report, team=world.team, by=world.dispatcher)
    assert Report.objects.get(pk=report.pk).status == Status.PLANNED
    elsewhere = world.report(description="Für die andere Kolonne")
    services.report_assign(elsewhere, team=world.other_team, by=world.dispatcher)

    page = phone(browser)
    log_in_from_the_menu(page, live_server, world)
    check_queue(page, report, elsewhere)
    take_start_photograph_close(page, live_server, report, photo)

    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.assigned_to_id) == (Status.DONE, world.crew.pk)
    assert fresh.photos.filter(kind=Photo.Kind.AFTER).count() == 1
    page.context.close()


def log_in_from_the_menu(page: Page, live_server: Any, world: World) -> None:
    page.goto(live_server.url + "/")
    # A menu button instead of a sideways-scrolling navigation.
    menu = page.get_by_role("button", name="Menü")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Anmelden")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Anmelden").click()
    page.get_by_label("E-Mail-Adresse").fill(world.crew.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()

    # Staff land on the work queue.
    expect(page).to_have_url(live_server.url + "/arbeit/")


def check_queue(page: Page, report: Report, elsewhere: Report) -> None:
    """The crew's own team first, filters folded away, "alle Teams" one tap away."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbeitsliste")
    expect(page.locator(".staff-queue__scope")).to_contain_text("Team: Straßenmeisterei Nord")
    expect(page.locator("#queue-filters")).not_to_have_attribute("open", "")
    expect(page.get_by_label("Status", exact=True)).to_be_hidden()
    row = page.locator(f"#report-{report.pk}")
    expect(row).to_be_visible()
    expect(page.locator(f"#report-{elsewhere.pk}")).to_have_count(0)
    shoot(page, "queue-390")
    assert_accessible(page)
    page.get_by_role("link", name="alle Teams anzeigen").click()
    expect(page).to_have_url(re.compile(r"/arbeit/\?team=alle$"))
    expect(page.locator(f"#report-{elsewhere.pk}")).to_be_visible()
    page.go_back()


def take_start_photograph_close(page: Page, live_server: Any, report: Report, photo: Path) -> None:
    row = page.locator(f"#report-{report.pk}")
    # Take it: the report page shows where it is and what comes next on the first screen.
    row.get_by_role("button", name=f"Meldung {report.reference} übernehmen").click()
    expect(page).to_have_url(live_server.url + f"/arbeit/meldungen/{report.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Sie haben die Meldung übernommen.")
    start = page.get_by_role("button", name="Arbeit beginnen")
    navi = page.get_by_role("link", name="In Navi-App öffnen")
    expect(navi).to_have_attribute("href", re.compile(r"^geo:53\.05"))
    for locator in (page.locator(".staff-detail__badges .status"), navi, start):
        assert on_first_screen(page, locator), locator
    # The after photo is not a "Pflichtfeld" before the work has started.
    expect(page.locator("#photo-section")).not_to_contain_text("Pflichtfeld")
    expect(page.get_by_role("group", name="Ablehnen")).to_have_count(0)
    shoot(page, "report-390")
    shoot(page, "report-390-full", full_page=True)
    assert_accessible(page)

    start.click()
    expect(page.locator(".staff-detail__badges .status")).to_have_text("in Arbeit")
    # Closing needs the photo: the page says so at the close button, the photo form is open.
    expect(page.locator("#after-photo-needed")).to_be_visible()
    page.get_by_label("Foto nach der Erledigung").set_input_files(str(photo))
    page.get_by_role("button", name="Foto hochladen").click()
    expect(page.get_by_role("status").first).to_contain_text("Foto gespeichert.")
    expect(page.locator("#after-photos > li > a > img")).to_have_count(1)
    expect(page.locator("#after-photo-needed")).to_have_count(0)
    page.get_by_text("Notiz zur Statusänderung hinzufügen").click()
    page.get_by_label("Notiz zur Statusänderung").fill("Schlagloch verfüllt.")
    page.get_by_role("button", name="erledigt melden").click()
    expect(page.get_by_role("status").first).to_contain_text("Status geändert: erledigt.")
    expect(page.locator(".staff-detail__badges .status")).to_have_text("erledigt")
    assert_accessible(page)


def test_crew_sees_why_and_who_when_nothing_can_be_done(
    live_server: Any, browser: Browser, world: World
) -> None:
    """A report of another team: no buttons, but the reason and who can help."""
    report = world.report()
    page = phone(browser)
    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(world.crew.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/arbeit/")
    page.goto(live_server.url + f"/arbeit/meldungen/{report.pk}/")
    why = page.locator(".why-not")
    expect(why).to_have_attribute("open", "")
    expect(why).to_contain_text("weder Ihnen noch Ihrem Team zugewiesen")
    expect(why).to_contain_text("Disposition")
    assert_accessible(page)
    page.context.close()


def test_queue_and_report_page_on_a_desktop(
    live_server: Any, browser: Browser, world: World
) -> None:
    report = world.report(description="Gemeindestraße: Schlagloch am Bordstein")
    services.report_assign(report, team=world.team, by=world.dispatcher)
    context = browser.new_context(locale="de-DE", viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/konto/login/")
    expect(page.get_by_role("button", name="Menü")).to_be_hidden()
    page.get_by_label("E-Mail-Adresse").fill(world.dispatcher.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/arbeit/")
    # Dispatchers see every team and the filters open.
    expect(page.locator(".staff-queue__scope")).to_have_count(0)
    expect(page.get_by_label("Status", exact=True)).to_be_visible()
    shoot(page, "queue-1366")
    assert_accessible(page)
    page.goto(live_server.url + f"/arbeit/meldungen/{report.pk}/")
    expect(page.get_by_role("button", name="Arbeit beginnen")).to_be_visible()
    shoot(page, "report-1366")
    page.locator("summary", has_text="An andere Stelle weiterleiten").click()
    expect(page.get_by_label("An Stelle")).to_be_visible()
    assert_accessible(page)
    context.close()


def test_navigation_without_javascript_on_a_phone(live_server: Any, browser: Browser) -> None:
    context = browser.new_context(locale="de-DE", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menü")).to_be_hidden()
    login = page.get_by_role("link", name="Anmelden")
    expect(login).to_be_visible()
    assert on_first_screen(page, login)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    context.close()
