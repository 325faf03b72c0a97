"""Crews on the road (issue 16, item 4), in the browser with the network switched off
(Playwright's offline mode): "Für unterwegs speichern" on the work queue, then offline the
Unterwegs page, its map from our own cached tiles (no request leaves the machine), closing a
report with an "after" photo and starting another; back online the changes are sent in
order; the report a dispatcher changed meanwhile shows the conflict with both versions, and
nothing is lost: applying again lands the crew's change on top of the dispatcher's.

Set MM_SCREENSHOT_DIR to keep screenshots of the offline queue and the conflict view at
390 x 844 and 1366 x 900."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize, expect

from tests.e2e.conftest import assert_accessible, dispatch_sync
from tests.factories import RoadFactory
from tests.tracker.staff.fixtures import World, make_world
from tracker import services
from tracker.models import Photo, Priority, Report, ReportEvent, Status

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
    EmailAddress.objects.create(
        user=world.crew, email=world.crew.email, primary=True, verified=True
    )
    RoadFactory.create(ref="K 12", name="Heideweg")
    return world


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "nachher.jpg"
    Image.new("RGB", (320, 240), (60, 110, 150)).save(path, "JPEG")
    return path


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A phone whose requests to any other host are aborted and recorded."""
    context = browser.new_context(locale="de-DE", viewport=PHONE, is_mobile=True, has_touch=True)
    own = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def guard(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield context, elsewhere
    context.close()


def shoot(page: Page, name: str) -> None:
    target = os.environ.get("MM_SCREENSHOT_DIR")
    if not target:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    for size, label in ((PHONE, "390x844"), (DESKTOP, "1366x900")):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(target) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def log_in_and_save(page: Page, live_server: Any, world: World, reports: int = 2) -> None:
    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(world.crew.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/arbeit/")
    # The service worker installs and takes control (it answers offline later).
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.get_by_role("button", name="Für unterwegs speichern").click()
    status = page.locator("#crew-save-status")
    expect(status).to_contain_text(f"Gespeichert: {reports} Meldungen", timeout=120_000)
    expect(status).to_contain_text("Kartenkacheln")
    shoot(page, "crew-save-queue")
    assert_accessible(page)


def test_crew_works_offline_and_syncs_with_a_conflict_and_nothing_lost(
    live_server: Any,
    phone: tuple[BrowserContext, list[str]],
    world: World,
    photo: Path,
) -> None:
    pothole = world.report(description="Tiefes Schlagloch am Heideweg")
    sign = world.report(description="Schild umgefahren")
    for report in (pothole, sign):
        services.report_assign(report, team=world.team, by=world.dispatcher)
    context, elsewhere = phone
    page = context.new_page()
    log_in_and_save(page, live_server, world)
    work_offline(context, page, live_server, pothole, sign, photo)

    # Meanwhile the dispatcher raises the sign's priority and writes a note.
    services.report_set_priority(sign, priority=Priority.HIGH, by=world.dispatcher)
    services.report_add_note(sign, by=world.dispatcher, text="Dringend: Vorfahrtsschild")
    assert Report.objects.get(pk=pothole.pk).status == Status.PLANNED  # nothing sent yet

    sync_with_a_conflict(context, page, pothole, sign)
    assert not elsewhere, elsewhere


def work_offline(
    context: BrowserContext,
    page: Page,
    live_server: Any,
    pothole: Report,
    sign: Report,
    photo: Path,
) -> None:
    """Offline: the Unterwegs page, its map from the saved tiles, two changes."""
    context.set_offline(True)
    page.goto(live_server.url + "/arbeit/unterwegs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unterwegs")
    expect(page.locator("#crew-connection")).to_contain_text("Keine Verbindung")
    expect(page.locator("#crew-reports li")).to_have_count(2)
    expect(page.locator("#map")).to_have_attribute("data-basemap", "loaded", timeout=30_000)
    expect(page.locator(".crew-limits")).to_contain_text("Duplikatprüfung")

    page.get_by_role("link", name=f"{pothole.reference} – Schlagloch").click()
    expect(page.locator("#crew-detail h2")).to_contain_text(pothole.reference)
    page.get_by_label("Erledigt").check()
    page.get_by_label("Notiz für die meldende Person").fill("Loch verfüllt.")
    page.get_by_label("Foto nachher").set_input_files(str(photo))
    shoot(page, "crew-offline-report")
    assert_accessible(page)
    page.get_by_role("button", name="Änderung speichern").click()
    expect(page.locator("#crew-changes li")).to_have_count(2)
    expect(page.locator("#crew-sync-summary")).to_contain_text("2 Änderungen warten")

    page.goto(live_server.url + f"/arbeit/meldungen/{sign.pk}/")  # offline: the Unterwegs page
    expect(page.locator("#crew-detail h2")).to_contain_text(sign.reference)
    page.get_by_label("in Arbeit").check()
    page.get_by_role("button", name="Änderung speichern").click()
    expect(page.locator("#crew-changes li")).to_have_count(3)
    page.get_by_role("link", name="Zurück zur Liste").click()
    shoot(page, "crew-offline-queue")
    assert_accessible(page)


def sync_with_a_conflict(
    context: BrowserContext, page: Page, pothole: Report, sign: Report
) -> None:
    """Online again: sent in order; the sign is a conflict the crew decides."""
    context.set_offline(False)
    page.get_by_role("button", name="Jetzt senden").click()
    conflict = page.locator(".crew-conflict")
    expect(conflict).to_have_count(1, timeout=30_000)
    expect(conflict).to_contain_text(sign.reference)
    expect(conflict).to_contain_text("wurde inzwischen geändert")
    expect(conflict.locator(".crew-conflict__mine")).to_contain_text("Status → in Arbeit")
    expect(conflict.locator(".crew-conflict__server")).to_contain_text("Dringend: Vorfahrtsschild")

    done = Report.objects.get(pk=pothole.pk)
    assert done.status == Status.DONE
    assert done.photos.filter(kind=Photo.Kind.AFTER).count() == 1
    assert done.events.filter(kind=ReportEvent.Kind.STATUS, note="Loch verfüllt.").exists()
    untouched = Report.objects.get(pk=sign.pk)
    assert untouched.status == Status.PLANNED and untouched.priority == Priority.HIGH
    shoot(page, "crew-conflict")
    assert_accessible(page)

    # The crew decides: apply again on top of the current state. Nothing was lost.
    conflict.get_by_role("button", name="Erneut anwenden").click()
    expect(page.locator(".crew-conflict")).to_have_count(0, timeout=30_000)
    expect(page.locator("#crew-sync-summary")).to_contain_text("Alle Änderungen sind gesendet")
    started = Report.objects.get(pk=sign.pk)
    assert started.status == Status.IN_PROGRESS and started.priority == Priority.HIGH
    assert started.events.filter(note="Dringend: Vorfahrtsschild").exists()


def wait_for_status(page: Page, report: Report, status: str, seconds: int) -> bool:
    for _ in range(seconds * 10):
        if Report.objects.get(pk=report.pk).status == status:
            return True
        page.wait_for_timeout(100)
    return False


def test_a_change_made_offline_is_sent_by_the_worker_after_the_page_is_closed(
    live_server: Any,
    phone: tuple[BrowserContext, list[str]],
    world: World,
) -> None:
    """Background Sync: the crew queues a change offline and closes the page; when the
    connection returns the browser wakes the service worker, which sends it."""
    pothole = world.report(description="Tiefes Schlagloch am Heideweg")
    services.report_assign(pothole, team=world.team, by=world.dispatcher)
    context, elsewhere = phone
    page = context.new_page()
    log_in_and_save(page, live_server, world, reports=1)
    context.set_offline(True)
    page.goto(live_server.url + f"/arbeit/meldungen/{pothole.pk}/")
    expect(page.locator("#crew-detail h2")).to_contain_text(pothole.reference)
    page.get_by_label("in Arbeit").check()
    page.get_by_label("Notiz für die meldende Person").fill("Wir sind vor Ort.")
    page.get_by_role("button", name="Änderung speichern").click()
    expect(page.locator("#crew-sync-summary")).to_contain_text("auch wenn Sie die Seite schließen")
    page.close()
    assert Report.objects.get(pk=pothole.pk).status == Status.PLANNED  # nothing sent offline

    context.set_offline(False)
    other = context.new_page()  # any page of the portal, not the crew's
    other.goto(live_server.url + "/impressum/")
    # Chromium fires the sync event itself when the connection returns; should it wait, the
    # test fires it as the browser would.
    if not wait_for_status(other, pothole, Status.IN_PROGRESS, seconds=5):
        dispatch_sync(context, other, "mm-crew-changes")
        wait_for_status(other, pothole, Status.IN_PROGRESS, seconds=15)
    started = Report.objects.get(pk=pothole.pk)
    assert started.status == Status.IN_PROGRESS
    sent = started.events.filter(kind=ReportEvent.Kind.STATUS, note="Wir sind vor Ort.")
    assert sent.count() == 1

    # The Unterwegs page shows it as sent; a second sync sends nothing again.
    other.goto(live_server.url + "/arbeit/unterwegs/")
    expect(other.locator("#crew-changes li")).to_have_count(1)
    expect(other.locator("#crew-changes li")).to_contain_text("gesendet")
    dispatch_sync(context, other, "mm-crew-changes")
    other.wait_for_timeout(1000)
    assert Report.objects.get(pk=pothole.pk).events.filter(note="Wir sind vor Ort.").count() == 1
    assert not elsewhere, elsewhere
