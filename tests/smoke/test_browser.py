"""The browser on the portal as `make run` serves it (gunicorn, production settings, DEBUG
off, collected static files, CSP on): every main page loads without a console error — a
Content-Security-Policy violation is one — and released photos load through /media/."""

from __future__ import annotations

import io

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, Page

from tracker import services
from tracker.models import Photo, Report

from .conftest import Served

pytestmark = [pytest.mark.smoke, pytest.mark.e2e]


@pytest.fixture
def public_report(transactional_db: None) -> Report:
    """A confirmed report with a released photo, committed so that gunicorn sees it (the
    transactional_db fixture empties the tables again afterwards)."""
    from tests.tracker.staff.fixtures import make_world

    world = make_world()
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 60)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "foto.jpg"
    report = services.report_create(
        category=world.category,
        point=Point(10.1, 53.05, srid=4326),
        description="Schlagloch am Radweg",
        contact=services.Contact(email="buerger@example.org"),
        photos=[buffer],
    )
    Report.objects.filter(pk=report.pk).update(confirmed_at=timezone.now())
    Photo.objects.filter(report=report).update(is_public=True)
    return report


def _visit(page: Page, url: str) -> list[str]:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{url}: {error}"))
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url
    page.remove_listener("console", on_console)
    return problems


PAGES = [
    "/",
    "/karte/",
    "/melden/",
    "/dienstleistungen/",
    "/konto/login/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/api/v1/docs/",
]


def test_pages_load_without_console_errors_and_photos_load(
    served_plain: Served,
    browser: Browser,
    public_report: Report,
) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    problems: list[str] = []
    for path in PAGES:
        problems += _visit(page, served_plain.base_url + path)
    # The public report page: its released photo loads through the app (core.media).
    problems += _visit(page, f"{served_plain.base_url}/meldungen/{public_report.pk}/")
    assert problems == []
    images = page.locator("img[src^='/media/']")
    assert images.count() == 1
    width = images.first.evaluate("img => img.complete ? img.naturalWidth : 0")
    assert width > 0
    full = page.request.get(served_plain.base_url + (images.first.get_attribute("src") or ""))
    assert full.status == 200 and full.headers["content-type"] == "image/jpeg"
    context.close()
