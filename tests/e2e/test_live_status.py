"""Live status in a real browser: the reporter keeps the tracking page open, a dispatcher
accepts the report, and the page shows the new status and the new entry without a reload
(and announces it in a polite live region)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tests.tracker.staff.fixtures import World, make_world
from tracker import services
from tracker.models import Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any) -> World:
    settings.MAP_TILE_URL = ""
    settings.LIVE_STATUS_INTERVAL = 1
    return make_world()


def test_tracking_page_shows_a_staff_change_without_reload(
    live_server: Any, page: Page, world: World
) -> None:
    report = world.report()
    page.goto(f"{live_server.url}/verfolgen/{report.tracking_token}/")
    status = page.locator('[data-live="status"]')
    expect(status).to_have_text("neu")
    page.evaluate("window.__sameDocument = true")

    services.report_transition(
        report, Status.PLANNED, by=world.dispatcher, note="Die Kolonne kommt am Montag."
    )

    expect(status).to_have_text("angenommen / geplant", timeout=15_000)
    expect(status).to_have_class("status status--planned")
    box = page.locator('[data-live="last-box"]')
    expect(box).to_be_visible()
    expect(box).to_contain_text("Die Kolonne kommt am Montag.")
    expect(page.locator('[data-live="announce"]')).to_have_text("Neuer Stand: angenommen / geplant")
    # Still the same document: nothing was reloaded.
    assert page.evaluate("window.__sameDocument") is True
    assert_accessible(page)


def test_public_page_and_queue_follow_changes(live_server: Any, page: Page, world: World) -> None:
    report = world.report()
    page.goto(f"{live_server.url}/meldungen/{report.pk}/")
    status = page.locator('[data-live="status"]')
    expect(status).to_have_text("neu")
    services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    expect(status).to_have_text("angenommen / geplant", timeout=15_000)
    assert_accessible(page)
