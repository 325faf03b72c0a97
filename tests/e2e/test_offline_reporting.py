"""A citizen reports without a connection (docs/offline.md): the report waits on the device
with its photo, is sent when the connection returns, exactly once, and the page then shows the
responsible office the server determined. Playwright switches the network off and on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import assert_accessible, dispatch_sync
from tests.e2e.test_reporting import TIMEOUT, photo, region  # noqa: F401 - shared fixtures
from tracker.models import IdempotencyKey, Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
SYNC_TAG = "workbox-background-sync:mm-reports"


def shoot(page: Page, name: str, section: str) -> None:
    """axe at both sizes, and screenshots of `section` when MM_SCREENSHOT_DIR is set."""
    target = os.environ.get("MM_SCREENSHOT_DIR")
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
        page.locator(section).scroll_into_view_if_needed()
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(target) / f"offline-{name}-{label}.png"))
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    yield context
    context.close()


def open_controlled(context: BrowserContext, url: str) -> Page:
    """The report page, controlled by the service worker (installed on the first visit)."""
    page = context.new_page()
    page.goto(url)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    return page


def fill_report_offline(page: Page, image: Path) -> None:
    map_box = page.locator("#map")
    expect(map_box).to_be_visible()
    box_ = map_box.bounding_box()
    assert box_ is not None
    page.mouse.click(box_["x"] + box_["width"] * 0.3, box_["y"] + box_["height"] * 0.6)
    page.get_by_role("button", name="Diese Stelle übernehmen").click()
    page.select_option("#id_category", "wilder-muell")
    # Honest: offline, nobody can say yet who is responsible or whether it is a duplicate.
    expect(page.locator("#routing")).to_contain_text("ermitteln wir, wenn die Meldung gesendet")
    page.fill("#id_description", "Sperrmüll am Waldrand, kein Netz hier.")
    page.set_input_files("#id_photos", str(image))
    expect(page.locator("#photo-previews img")).to_have_count(1)
    page.fill("#id_email", "buerger@example.org")
    page.get_by_role("button", name="Meldung absenden").click()


def test_report_filed_offline_waits_and_is_sent_once_when_online(
    live_server: Any,
    context: BrowserContext,
    region: dict,  # noqa: F811 - pytest fixture injection
    photo: Path,  # noqa: F811
) -> None:
    page = open_controlled(context, live_server.url + "/melden/")
    context.set_offline(True)
    expect(page.locator("#offline-note")).to_be_visible()
    fill_report_offline(page, photo)

    waiting = page.locator("#offline-waiting")
    expect(waiting).to_be_visible(timeout=TIMEOUT)
    expect(waiting).to_contain_text("Wartet auf Verbindung")
    expect(waiting.locator("li")).to_have_count(1)
    expect(waiting.locator("li")).to_contain_text("Wilder Müll")
    expect(waiting.locator("li")).to_contain_text("1 Foto")
    expect(page.get_by_role("button", name="Jetzt senden")).to_be_visible()
    expect(page.locator("#id_description")).to_have_value("")  # free for the next report
    assert not Report.objects.exists()
    shoot(page, "waiting", "#offline-waiting")

    # Back online: the page's "online" handler and the worker's Background Sync both send.
    context.set_offline(False)
    dispatch_sync(context, page, SYNC_TAG)
    sent = page.locator("#offline-sent")
    expect(sent).to_be_visible(timeout=TIMEOUT)
    report = Report.objects.get()
    expect(sent).to_contain_text("gesendet")
    expect(sent).to_contain_text(f"Vorgangsnummer {report.reference}")
    expect(sent).to_contain_text("Zuständig: Landkreis Test")
    expect(sent).not_to_contain_text("Position")  # the place as the server named it
    link = sent.get_by_role("link", name="Bearbeitungsstand verfolgen")
    assert (link.get_attribute("href") or "").endswith(f"/verfolgen/{report.tracking_token}/")
    expect(page.locator("#offline-waiting")).to_be_hidden()
    assert report.photos.count() == 1
    assert report.description == "Sperrmüll am Waldrand, kein Netz hier."
    assert report.authority == region["kreis"]
    page.wait_for_timeout(1000)  # a late second send (sync) would land by now
    assert Report.objects.count() == 1
    assert IdempotencyKey.objects.get().report == report
    shoot(page, "sent", "#offline-sent")

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.reference)


def test_sending_the_kept_report_twice_files_it_once(
    live_server: Any,
    context: BrowserContext,
    region: dict,  # noqa: F811 - pytest fixture injection
    photo: Path,  # noqa: F811
) -> None:
    page = open_controlled(context, live_server.url + "/melden/")
    context.set_offline(True)
    fill_report_offline(page, photo)
    expect(page.locator("#offline-waiting li")).to_have_count(1, timeout=TIMEOUT)
    # Keep a copy of the stored entry (with its photo) to send it again later.
    page.evaluate("async () => { window.kept = (await MMOfflineStore.all())[0]; }")
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#offline-sent li")).to_have_count(1, timeout=TIMEOUT)
    # Two more sends of the same stored report at the same moment (a sync that fires twice).
    answers = page.evaluate(
        """async () => {
            await MMOfflineStore.put(window.kept);
            const one = () => fetch(window.kept.url, {
                method: 'POST', credentials: 'same-origin',
                headers: {'Idempotency-Key': window.kept.key, 'X-CSRFToken': window.kept.csrf,
                          'X-Offline-Retry': '1', Accept: 'application/json'},
                body: (() => { const d = new FormData();
                    window.kept.fields.forEach(([k, v]) => d.append(k, v));
                    window.kept.photos.forEach((p) => d.append('photos', p.blob, p.name));
                    return d; })(),
            }).then(async (r) => [r.status, r.headers.get('Idempotent-Replayed'),
                                  (await r.json()).id]);
            return Promise.all([one(), one()]);
        }"""
    )
    report = Report.objects.get()
    assert answers == [[201, "true", report.pk], [201, "true", report.pk]]
    assert report.photos.count() == 1


def test_without_service_worker_the_page_sends_when_the_connection_returns(
    live_server: Any,
    browser: Browser,
    region: dict,  # noqa: F811 - pytest fixture injection
    photo: Path,  # noqa: F811
) -> None:
    """A browser without a worker (or without Background Sync): the report waits; "Jetzt
    senden" offline says there is still no connection; the page's own "online" handler sends."""
    context = browser.new_context(
        locale="de-DE", viewport={"width": 390, "height": 844}, service_workers="block"
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/melden/")
        context.set_offline(True)
        fill_report_offline(page, photo)
        expect(page.locator("#offline-waiting li")).to_have_count(1, timeout=TIMEOUT)
        page.get_by_role("button", name="Jetzt senden").click()
        expect(page.locator("#offline-status")).to_have_text(
            "Noch keine Verbindung. Wir versuchen es weiter.", timeout=TIMEOUT
        )
        assert not Report.objects.exists()
        context.set_offline(False)
        expect(page.locator("#offline-sent")).to_contain_text(
            "Zuständig: Landkreis Test", timeout=TIMEOUT
        )
        expect(page.locator("#offline-status")).to_have_text(
            "Ihre gespeicherte Meldung wurde gesendet."
        )
        assert Report.objects.count() == 1
        # The list survives a reload (IndexedDB), and the entry can be removed from it.
        page.reload()
        expect(page.locator("#offline-sent li")).to_have_count(1)
        page.get_by_role("button", name="Aus der Liste entfernen").click()
        expect(page.locator("#offline-sent")).to_be_hidden()
    finally:
        context.close()


def test_background_sync_sends_while_the_report_page_is_closed(
    live_server: Any,
    context: BrowserContext,
    region: dict,  # noqa: F811 - pytest fixture injection
    photo: Path,  # noqa: F811
) -> None:
    """The worker's Background Sync (Workbox) sends the queued request on its own; the report
    page, opened later, shows the answer the worker stored."""
    page = open_controlled(context, live_server.url + "/melden/")
    context.set_offline(True)
    fill_report_offline(page, photo)
    expect(page.locator("#offline-waiting li")).to_have_count(1, timeout=TIMEOUT)
    page.close()
    context.set_offline(False)
    other = context.new_page()
    other.goto(live_server.url + "/")  # a page without the offline queue's script
    dispatch_sync(context, other, SYNC_TAG)
    for _ in range(60):
        if Report.objects.exists():
            break
        other.wait_for_timeout(250)
    report = Report.objects.get()
    assert report.photos.count() == 1
    again = context.new_page()
    again.goto(live_server.url + "/melden/")
    sent = again.locator("#offline-sent")
    expect(sent).to_contain_text(f"Vorgangsnummer {report.reference}", timeout=TIMEOUT)
    expect(sent).to_contain_text("Zuständig: Landkreis Test")
    expect(again.locator("#offline-waiting")).to_be_hidden()
    assert Report.objects.count() == 1
