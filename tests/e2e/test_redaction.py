"""Blurred areas of a photo in a real browser: a dispatcher sees the original with the detected
face and plate outlined, drags a rectangle on the photo to blur one more area, types one that
does not fit (and reads why), removes an area, and releases the photo; the public page then
shows the blurred version. axe-core checks each state; screenshots at desktop and phone size
go to .run/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible
from tests.tracker.staff.fixtures import World, make_world
from tests.tracker.test_redaction import scene, upload
from tracker import services
from tracker.models import Photo

from .test_moderation import DESKTOP, PHONE, SHOTS, shot
from .test_staff import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings: Any) -> World:
    settings.MAP_TILE_URL = ""
    world = make_world()
    EmailAddress.objects.create(
        user=world.dispatcher, email=world.dispatcher.email, primary=True, verified=True
    )
    return world


def test_dispatcher_checks_and_changes_the_blurred_areas_before_release(
    live_server: Any, browser: Browser, world: World
) -> None:
    # Filed and committed: the redaction task has run (Celery eager in tests).
    report = services.report_confirm(
        services.report_create(
            category=world.category,
            point=Point(10.1, 53.05, srid=4326),
            description="Auto parkt auf dem Gehweg",
            contact=services.Contact(email="buerger@example.org"),
            photos=[upload(scene())],
        )
    )
    photo = Photo.objects.get(report=report)
    assert len(photo.blur_boxes) == 2

    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    log_in(page, live_server, world.dispatcher)
    page.goto(f"{live_server.url}/arbeit/meldungen/{report.pk}/")
    page.get_by_text("Schwärzung (2 Bereiche)").click()
    panel = page.locator("details.redaction")
    expect(panel.locator("rect.redaction__box--auto")).to_have_count(2)
    expect(panel).to_contain_text("Gesicht · automatisch erkannt")
    expect(panel).to_contain_text("Kennzeichen · automatisch erkannt")
    image = panel.locator(".redaction__figure img")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 1000
    assert_accessible(page)

    drag_a_rectangle(page)
    photo.refresh_from_db()
    assert [b["source"] for b in photo.blur_boxes] == ["auto", "auto", "staff"]
    type_a_box_that_does_not_fit(page)

    # Remove the drawn area again, and release the photo.
    page.get_by_role("button", name=re.compile(r"Schwärzung entfernen \(Bereich 3,")).click()
    expect(page.get_by_text("Schwärzung entfernt")).to_be_visible()
    page.get_by_role("button", name=re.compile("^veröffentlichen")).first.click()
    expect(page.get_by_text("Foto veröffentlicht.")).to_be_visible()
    page.get_by_text("Schwärzung (2 Bereiche)").click()
    page.locator("details.redaction").scroll_into_view_if_needed()
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    shot(page, "staff-redaction-phone")
    page.locator("details.redaction").screenshot(
        path=str(SHOTS / "staff-redaction-panel-phone.png")
    )
    context.close()

    public = browser.new_page(viewport=DESKTOP)
    public.goto(f"{live_server.url}/meldungen/{report.pk}/")
    photo.refresh_from_db()
    expect(public.locator(".photo-grid img")).to_have_attribute("src", photo.thumbnail.url)
    assert photo.original.name not in public.content()
    # (Who may fetch the original is tested with the app's own media view in
    # tests/tracker/test_redaction.py: the live server serves MEDIA_ROOT unchecked.)
    public.close()


def drag_a_rectangle(page: Page) -> None:
    """Drag over the photo's top left corner: the form is filled, then sent."""
    panel = page.locator("details.redaction")
    panel.locator(".redaction__figure").scroll_into_view_if_needed()
    figure = panel.locator(".redaction__figure").bounding_box()
    assert figure is not None
    scale = figure["width"] / 1000
    page.mouse.move(figure["x"] + 20 * scale, figure["y"] + 30 * scale)
    page.mouse.down()
    page.mouse.move(figure["x"] + 100 * scale, figure["y"] + 80 * scale, steps=5)
    page.mouse.move(figure["x"] + 220 * scale, figure["y"] + 130 * scale, steps=5)
    page.mouse.up()
    form = panel.locator("form.redaction__add")
    values = [int(form.get_by_label(name).input_value()) for name in ("Links (x)", "Oben (y)")]
    assert [abs(v - t) <= 3 for v, t in zip(values, (20, 30), strict=True)] == [True, True]
    width = int(form.get_by_label("Breite").input_value())
    assert abs(width - 200) <= 3
    expect(panel.locator("rect.redaction__box--draft")).to_have_count(1)
    shot(page, "staff-redaction-drag-desktop")
    form.get_by_role("button", name="Bereich schwärzen").click()
    expect(page.get_by_text("Bereich geschwärzt; die öffentliche Fassung")).to_be_visible()


def type_a_box_that_does_not_fit(page: Page) -> None:
    """Typed by keyboard, too far right: the reason, next to the form, nothing changed."""
    page.get_by_text("Schwärzung (3 Bereiche)").click()
    form = page.locator("details.redaction form.redaction__add")
    form.get_by_label("Links (x)").fill("950")
    form.get_by_label("Oben (y)").fill("10")
    form.get_by_label("Breite").fill("100")
    form.get_by_label("Höhe").fill("40")
    form.get_by_role("button", name="Bereich schwärzen").click()
    expect(page.locator("#error-summary")).to_contain_text("nicht ganz im Foto (1000 x 700")
    expect(page.locator("details.redaction")).to_have_attribute("open", "")
    expect(page.locator("details.redaction").get_by_label("Links (x)")).to_have_value("950")
    assert_accessible(page)
    shot(page, "staff-redaction-error-desktop")
