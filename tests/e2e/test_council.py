"""A council session's page (demo sessions from the OParl import), the feed overview and the
menu in Chromium, German and English: axe-core clean, screenshots at desktop and phone size
(into $MM_SCREENSHOTS, default /tmp/mm-screenshots)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from data.demo import load_demo
from data.demo_calendar import load_demo_calendar
from data.demo_council import BASE
from events.models import CouncilMeeting
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_calendar import shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_calendar() -> None:
    load_demo(commit=True)
    load_demo_calendar(commit=True)  # events, districts and the demo council sessions


def test_session_page_in_german_and_english(
    live_server, page: Page, browser: Browser, demo_calendar: None
) -> None:
    council = CouncilMeeting.objects.get(oparl_id=f"{BASE}/meeting/44")
    page.goto(live_server.url + "/veranstaltungen/liste/?art=sitzung")
    page.get_by_role("link", name="44. Sitzung – Rat der Stadt Heidestadt").click()
    assert page.get_by_role("heading", name="Tagesordnung").is_visible()
    assert page.get_by_role("link", name="Einladung: Einladung zur 44. Sitzung").is_visible()
    assert page.get_by_text("nicht öffentlich").is_visible()
    assert_accessible(page)
    shoot(page, "council-session")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)

    english = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    try:
        en = english.new_page()
        en.goto(f"{live_server.url}/veranstaltungen/{council.event_id}/")
        assert en.get_by_role("heading", name="Agenda").is_visible()
        nav = en.get_by_role("navigation", name="Main navigation")
        assert nav.get_by_role("link", name="Events").is_visible()
        assert nav.get_by_role("link", name="Waste collection").is_visible()
        assert_accessible(en)
        shoot(en, "council-session-en")
    finally:
        english.close()


def test_feed_overview_passes_axe(live_server, page: Page, demo_calendar: None) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Neuigkeiten abonnieren (RSS/Atom)").click()
    assert page.get_by_role("heading", name="Neue Meldungen").is_visible()
    assert_accessible(page)
    shoot(page, "feeds")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    page.goto(live_server.url + "/")
    shoot(page, "home-menu")
