"""BundID from the login page in a real browser: /konto/login/ shows "Mit BundID anmelden" when
SAML is configured (accessible on a desktop and a phone), and the button logs in at the real
SAML IdP on loopback (tests/saml/idp.py) and comes back logged in; on a phone, "Abmelden" from
the menu logs out at BundID too (single logout) and the start page says so. Screenshots go to
$MM_SCREENSHOTS when it is set."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.catalogue.saml_idp import Idp
from tests.catalogue.saml_idp import saml_idp_fixture as saml_idp_fixture
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_identity_pages import DESKTOP, PHONE, shoot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_login_with_bundid_from_the_login_page(
    live_server: Any, browser: Browser, saml_idp: Idp, settings: Any, viewport: ViewportSize
) -> None:
    # As in production (HTTPS): the SAML state cookie is SameSite=None; Secure, so that it
    # survives the IdP's cross-site POST (Chromium accepts Secure cookies from localhost).
    settings.SESSION_COOKIE_SECURE = True
    context = browser.new_context(locale="de-DE", viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/konto/login/?next=/konto/anliegen/")
    button = page.get_by_role("link", name="Mit BundID anmelden")
    expect(button).to_be_visible()
    expect(page.get_by_role("heading", name="Weitere Anmeldewege")).to_be_visible()
    assert_accessible(page)
    shoot(page, "login-bundid", f"{viewport['width']}x{viewport['height']}")

    button.click()
    _log_in_at_the_idp(page, live_server, saml_idp)
    context.close()


def _log_in_at_the_idp(page: Page, live_server: Any, saml_idp: Idp) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(saml_idp.url)), timeout=15_000)
    page.locator("input[name=email]").fill("erika.neu@example.org")
    page.locator("select[name=method]").select_option("eid")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(live_server.url + "/konto/anliegen/", timeout=15_000)
    expect(page.get_by_text("Vertrauensniveau der letzten Anmeldung: hoch")).to_be_visible()


def test_logout_on_a_phone_also_logs_out_at_bundid(
    live_server: Any, browser: Browser, saml_idp: Idp, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/konto/saml/login/?next=/konto/anliegen/")
    _log_in_at_the_idp(page, live_server, saml_idp)

    menu = page.get_by_role("button", name="Menü")
    menu.click()
    page.get_by_role("button", name="Abmelden").click()
    # Through BundID (signed LogoutRequest, signed answer) back to the start page.
    expect(page).to_have_url(live_server.url + "/", timeout=15_000)
    expect(page.get_by_text("Sie haben sich abgemeldet.")).to_be_visible()
    expect(page.get_by_text("Sie wurden auch bei BundID abgemeldet.")).to_be_visible()
    assert_accessible(page)
    shoot(page, "logout-bundid", f"{PHONE['width']}x{PHONE['height']}")
    page.goto(live_server.url + "/konto/anliegen/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/konto/login/")))
    context.close()
