"""Staff pages in a real browser: a crew member on a phone takes a report from the work queue,
adds an "after" photo and closes it; a dispatcher on a desktop filters, uses a bulk action and
sees a refused action explained. axe-core checks every page on the way."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect

from accounts.models import User
from tests.e2e.conftest import assert_accessible
from tests.factories import ResponseTemplateFactory
from tests.tracker.staff.fixtures import World, make_world
from tracker.models import Photo, Report, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-Passwort-42"  # tests.factories.UserFactory's
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def world(settings: Any) -> World:
    # No base tiles: nothing may be fetched from outside the live server.
    settings.MAP_TILE_URL = ""
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


def log_in(page: Page, live_server: Any, user: User) -> None:
    page.goto(live_server.url + "/arbeit/")
    expect(page).to_have_url(re.compile(r"/konto/login/\?next=/arbeit/$"))
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/arbeit/")


def test_crew_member_takes_photographs_and_closes_on_a_phone(
    live_server: Any, browser: Browser, world: World, photo: Path
) -> None:
    report = world.report(status=Status.PLANNED, assigned_team=world.team)
    elsewhere = world.report(description="Nicht für diese Kolonne", assigned_team=world.other_team)
    context = browser.new_context(
        locale="de-DE",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 53.06, "longitude": 10.11},
        permissions=["geolocation"],
    )
    page = context.new_page()
    log_in(page, live_server, world.crew)

    # The queue: the crew's report with a navigation link, the map below the list.
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbeitsliste")
    expect(page.locator("#main-menu a", has_text="Arbeitsliste")).to_have_attribute(
        "aria-current", "page"
    )
    row = page.locator(f"#report-{report.pk}")
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("Navi-App"))).to_have_attribute(
        "href", re.compile(r"^geo:53\.05")
    )
    expect(page.locator("#map .leaflet-marker-icon").first).to_be_visible()
    expect(page.locator("#map-status")).to_contain_text("Meldungen auf der Karte")
    list_box = page.locator(".staff-queue__list").bounding_box()
    map_box = page.locator("#map-pane").bounding_box()
    assert list_box and map_box and map_box["y"] > list_box["y"]  # map below the list
    page.get_by_role("button", name="Mein Standort").click()
    expect(page.locator("#map-status")).to_have_text("Ihr Standort ist auf der Karte markiert.")
    assert_accessible(page)
    # The crew's queue starts on their team; "alle Teams" shows the authority's other reports …
    assert elsewhere.reference not in page.content()
    page.get_by_role("link", name="alle Teams anzeigen").click()
    assert elsewhere.reference in page.content()

    # … but only the own team's report can be taken.
    expect(page.locator(f"#report-{elsewhere.pk}").get_by_role("button")).to_have_count(0)

    page.goto(live_server.url + f"/arbeit/meldungen/{report.pk}/")
    expect(page.get_by_role("button", name="ablehnen")).to_have_count(0)
    expect(page.get_by_role("button", name="Weiterleiten")).to_have_count(0)
    assert_accessible(page)

    # Take it straight from the queue; that leads to the report page.
    breadcrumbs = page.get_by_role("navigation", name="Brotkrümelnavigation")
    breadcrumbs.get_by_role("link", name="Arbeitsliste").click()
    row.get_by_role("button", name=f"Meldung {report.reference} übernehmen").click()
    expect(page).to_have_url(live_server.url + f"/arbeit/meldungen/{report.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Sie haben die Meldung übernommen.")
    expect(page.get_by_role("button", name="Übernehmen (mir zuweisen)")).to_have_count(0)

    # Closing before the photo: refused with the reason, status unchanged.
    page.get_by_role("button", name="erledigt melden").click()
    expect(page.get_by_role("alert")).to_contain_text("Foto nach der Erledigung nötig")
    assert_accessible(page)

    page.get_by_label("Foto nach der Erledigung").set_input_files(str(photo))
    page.get_by_role("button", name="Foto hochladen").click()
    expect(page.get_by_role("status").first).to_contain_text("Foto gespeichert.")
    expect(page.locator("#after-photos > li > a > img")).to_have_count(1)

    page.get_by_text("Notiz zur Statusänderung hinzufügen").click()
    page.get_by_label("Notiz zur Statusänderung").fill("Schlagloch verfüllt.")
    page.get_by_role("button", name="erledigt melden").click()
    expect(page.get_by_role("status").first).to_contain_text("Status geändert: erledigt.")
    expect(page.locator(".staff-detail__badges .status")).to_have_text("erledigt")
    expect(page.locator(".staff-timeline")).to_contain_text("Schlagloch verfüllt.")
    assert_accessible(page)

    report.refresh_from_db()
    assert (report.status, report.assigned_to_id) == (Status.DONE, world.crew.pk)
    assert report.photos.filter(kind=Photo.Kind.AFTER).count() == 1
    context.close()


def test_dispatcher_filters_and_uses_bulk_actions_on_a_desktop(
    live_server: Any, page: Page, world: World
) -> None:
    first = world.report(description="Erste")
    second = world.report(description="Zweite", status=Status.PLANNED)
    done = world.report(description="Fertig", status=Status.DONE)
    log_in(page, live_server, world.dispatcher)

    page.get_by_label("Status", exact=True).select_option("alle")
    page.get_by_role("button", name="Anwenden").click()
    expect(page).to_have_url(re.compile(r"/arbeit/\?status=alle$"))
    expect(page.locator(f"#report-{done.pk}")).to_be_visible()
    assert_accessible(page)

    # Closed reports cannot be selected; a status change that suits only one of two reports
    # changes that one and says why not for the other.
    expect(page.locator(f"#report-{done.pk} input[type=checkbox]")).to_have_count(0)
    for report in (first, second):
        page.get_by_label(f"Meldung {report.reference} auswählen").check()
    page.locator("#id_bulk-status").select_option(Status.IN_PROGRESS)
    page.get_by_role("button", name="Status setzen").click()
    expect(page).to_have_url(re.compile(r"/arbeit/\?status=alle$"))
    results = page.get_by_role("table", name="Ergebnis der Sammelaktion")
    expect(results.locator("tr", has_text=first.reference)).to_contain_text("nicht geändert")
    expect(results.locator("tr", has_text=second.reference)).to_contain_text("erledigt")
    expect(page.get_by_role("status").first).to_contain_text("1 von 2 Meldung(en) geändert")
    assert_accessible(page)
    assert Report.objects.get(pk=second.pk).status == Status.IN_PROGRESS

    page.get_by_label("Alle Meldungen dieser Seite auswählen").check()
    expect(page.get_by_label(f"Meldung {second.reference} auswählen")).to_be_checked()
    page.locator("#id_bulk-team").select_option(str(world.team.pk))
    page.get_by_role("button", name="Zuweisen", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("für 2 Meldung(en) ausgeführt")
    assert Report.objects.filter(assigned_team=world.team).count() == 2

    page.get_by_role("link", name=re.compile(first.reference)).first.click()
    page.locator("summary", has_text="Als Duplikat markieren").click()
    page.get_by_label("Nummer der ursprünglichen Meldung").fill("2026-999999")
    page.get_by_role("button", name="Als Duplikat schließen").click()
    expect(page.get_by_role("alert")).to_contain_text("Keine Meldung Ihrer Stelle")
    expect(page.get_by_label("Nummer der ursprünglichen Meldung")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)


def test_dispatcher_pages_pass_axe_on_a_phone(
    live_server: Any, browser: Browser, world: World
) -> None:
    report = world.report(status=Status.IN_REVIEW)
    ResponseTemplateFactory.create(
        authority=world.kreis, status=Status.PLANNED, title="Eingeplant", text="Wir kommen."
    )
    context = browser.new_context(locale="de-DE", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, world.dispatcher)
    expect(
        page.get_by_role("group", name="Sammelaktion für die ausgewählten Meldungen")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + f"/arbeit/meldungen/{report.pk}/")
    expect(page.get_by_role("button", name="Eingeplant")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Eingeplant").click()
    expect(page.get_by_role("status").first).to_contain_text("angenommen / geplant")
    expect(page.locator(".staff-timeline")).to_contain_text("Wir kommen.")
    context.close()


@pytest.mark.parametrize(
    ("width", "folded", "max_height"), [(390, True, 80), (1024, True, 80), (1366, False, 130)]
)
def test_staff_header_stays_short_at_every_width(
    live_server: Any, browser: Browser, world: World, width: int, folded: bool, max_height: int
) -> None:
    """A dispatcher has a dozen links: up to 75rem they fold behind "Menü" (on a 1024 px screen
    they filled four rows before), the brand and the button share one row; on a wide screen the
    links stay listed with the language choice beside them, in at most two rows."""
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    log_in(page, live_server, world.dispatcher)
    header = page.locator(".site-header")
    menu_button = page.get_by_role("button", name="Menü")
    queue_link = header.get_by_role("link", name="Arbeitsliste")
    if folded:
        expect(menu_button).to_be_visible()
        expect(queue_link).to_be_hidden()
        menu_button.click()
        expect(queue_link).to_be_visible()
        menu_button.click()
    else:
        expect(menu_button).to_be_hidden()
        expect(queue_link).to_be_visible()
        expect(header.get_by_role("button", name="Wechseln")).to_be_visible()
    box = header.bounding_box()
    assert box is not None and box["height"] <= max_height, box
    assert_accessible(page)
    context.close()
