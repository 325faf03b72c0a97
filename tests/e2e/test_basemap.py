"""The base map in the browser, with every host but the live server blocked: the map draws
from our own tiles and nothing leaves the machine; the web app works offline (service worker,
offline page)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Route, expect

from tests.e2e.conftest import assert_accessible
from tests.map_region import make_map_region

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sealed(browser: Browser, live_server: Any) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A browser context whose requests to any other host are aborted; all URLs recorded."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    own = urlsplit(live_server.url).netloc
    requested: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        requested.append(url)
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    yield context, requested
    context.close()


def test_public_map_draws_our_own_base_map_with_no_request_leaving_the_machine(
    live_server: Any, sealed: tuple[BrowserContext, list[str]]
) -> None:
    make_map_region()
    context, requested = sealed
    page = context.new_page()
    page.goto(f"{live_server.url}/karte/")
    page.evaluate("() => MM.maps[0].setView([53.05, 10.1], 12, {animate: false})")
    expect(page.locator("#map")).to_have_attribute("data-basemap", "loaded", timeout=30_000)
    tiles = [u for u in requested if "/tiles/base/" in u]
    assert tiles, "the base map asked for no tiles"
    own = urlsplit(live_server.url).netloc
    assert all(urlsplit(u).netloc == own for u in requested if u.startswith("http")), [
        u for u in requested if u.startswith("http") and urlsplit(u).netloc != own
    ]
    # Drawn, with the attribution of each source.
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("OpenStreetMap")
    expect(attribution).to_contain_text("BKG")
    # Drawn: the map shows land, roads, boundaries and names in many colours, not one grey.
    picture = Image.open(io.BytesIO(page.locator("#map").screenshot())).convert("RGB")
    colours = picture.getcolors(maxcolors=1_000_000) or []
    assert len([c for c in colours if c[0] > 20]) > 20
    assert_accessible(page)


def test_web_app_shows_the_offline_page_when_a_page_cannot_load(
    live_server: Any, sealed: tuple[BrowserContext, list[str]]
) -> None:
    context, _requested = sealed
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    # The worker installs, precaches the app shell and takes control.
    state = page.evaluate(
        """() => Promise.race([
            navigator.serviceWorker.ready.then((registration) => registration.active.state),
            new Promise((resolve) => setTimeout(() => resolve("not ready"), 20000)),
        ])"""
    )
    assert state in ("activating", "activated")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    context.set_offline(True)
    page.goto(f"{live_server.url}/karte/")
    expect(page.locator("h1")).to_have_text("Sie sind gerade offline")
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    assert page.evaluate("() => getComputedStyle(document.body).fontFamily").strip() != ""
    context.set_offline(False)
