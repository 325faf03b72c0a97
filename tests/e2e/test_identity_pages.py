"""The demo county's identity and the Bürgerkonto pages in a real browser: every page named
here passes axe-core (0 serious/critical) on a desktop and a phone, carries the Landkreis's
name and logo (a town's page the town's), and the account forms use the portal's buttons.
Screenshots go to $MM_SCREENSHOTS when it is set (for people looking at the pages)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, ViewportSize, expect

from accounts.models import User
from data.catalogue_seed import load_catalogue
from data.demo import load_demo
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "erika@example.org"
PASSWORD = "geheim-Passwort-42"
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
PUBLIC_PAGES = {
    "home": "/",
    "stelle-landkreis": "/stelle/demo-landkreis-heideland/",
    "stelle-heidestadt": "/stelle/demo-stadt-heidestadt/",
    "lebenslagen": "/dienstleistungen/",
    "a-z": "/dienstleistungen/?ansicht=a-z",
    "login": "/konto/login/",
    "signup": "/konto/signup/",
    "password-reset": "/konto/password/reset/",
}
ACCOUNT_PAGES = {
    "profile": "/konto/",
    "email": "/konto/email/",
    "alerts": "/konto/benachrichtigungen/",
}


@pytest.fixture
def demo(settings: Any) -> None:
    settings.MAP_TILE_URL = ""
    load_demo(commit=True)
    load_catalogue(commit=True)
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)


def shoot(page: Page, name: str, size: str) -> None:
    folder = os.environ.get("MM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{size}.png", full_page=True)


def log_in(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/konto/anliegen/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_identity_and_account_pages_are_accessible(
    live_server: Any, browser: Browser, demo: None, viewport: ViewportSize
) -> None:
    size = f"{viewport['width']}x{viewport['height']}"
    context = browser.new_context(locale="de-DE", viewport=viewport)
    page = context.new_page()
    for name, url in PUBLIC_PAGES.items():
        page.goto(live_server.url + url)
        assert_accessible(page)
        shoot(page, name, size)
    log_in(page, live_server)
    for name, url in ACCOUNT_PAGES.items():
        page.goto(live_server.url + url)
        assert_accessible(page)
        shoot(page, name, size)
    context.close()


def test_the_county_brands_the_portal_and_the_town_its_page(
    live_server: Any, page: Page, demo: None
) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Mängelmelder Heideland")
    brand = page.locator(".brand")
    expect(brand).to_contain_text("Mängelmelder Heideland")
    expect(brand).to_contain_text("Landkreis Heideland (Demo)")
    logo = brand.locator("img")
    expect(logo).to_have_attribute("src", "/static/data/logos/landkreis-heideland.svg")
    assert page.evaluate("() => document.querySelector('.brand img').naturalWidth") > 0
    expect(page.locator(".site-footer")).to_contain_text(
        "Mängelmelder Heideland wird betrieben von Landkreis Heideland (Demo)."
    )
    header = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(0, 80, 140)"

    page.goto(live_server.url + "/stelle/demo-stadt-heidestadt/")
    expect(page.locator(".brand")).to_contain_text("Stadt Heidestadt (Demo)")
    header = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(123, 45, 142)"
    expect(page.get_by_role("heading", name="Öffnungszeiten")).to_be_visible()
    expect(page.locator(".hours")).to_contain_text("Mi geschlossen")
    expect(page.locator(".authority-services")).to_contain_text("Hundesteueranmeldung")


def test_login_errors_and_buttons_look_like_the_report_form(
    live_server: Any, page: Page, demo: None
) -> None:
    page.goto(live_server.url + "/konto/login/")
    button = page.locator("main").get_by_role("button", name="Anmelden")
    expect(button).to_have_class("button button--primary")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort:", exact=True).fill("falsch-falsch-falsch")
    button.click()
    expect(page.locator(".form-errors")).to_contain_text("Bitte prüfen Sie Ihre Eingaben.")
    assert_accessible(page)
