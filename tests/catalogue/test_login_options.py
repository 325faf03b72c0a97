"""BundID on the login page: the configured external logins (SAML and/or OpenID Connect) are
offered on /konto/login/ with the step-up page's buttons, in German and English, returning to
the page asked for; nothing is offered while neither is configured; and the button really
logs in at the (real, loopback) SAML IdP."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from accounts.models import User
from tests.catalogue.saml_idp import Idp, browser, saml_login
from tests.catalogue.saml_idp import saml_idp_fixture as saml_idp_fixture

pytestmark = pytest.mark.django_db

SAML_BUTTON = re.compile(r'<a class="button[^"]*" href="(/konto/saml/login/[^"]*)">([^<]+)</a>')


def _oidc_app() -> None:
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="bundid",
        name="BundID",
        client_id="x",
        secret="y",
        settings={"server_url": "http://127.0.0.1:9/"},
    )


def test_nothing_is_offered_while_no_provider_is_configured(client: Client, settings: Any) -> None:
    settings.SAML_IDP_METADATA = ""
    page = client.get("/konto/login/").content.decode()
    assert "/konto/saml/login/" not in page
    assert "/konto/oidc/" not in page
    assert "Weitere Anmeldewege" not in page


def test_the_login_page_offers_bundid_when_saml_is_configured(
    client: Client, settings: Any
) -> None:
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"  # configured; read only on login
    page = client.get("/konto/login/", {"next": "/konto/anliegen/"}).content.decode()
    button = SAML_BUTTON.search(page)
    assert button, page
    assert html.unescape(button.group(1)) == "/konto/saml/login/?next=%2Fkonto%2Fanliegen%2F"
    assert button.group(2) == "Mit BundID anmelden"
    assert 'aria-labelledby="login-options-heading"' in page
    assert "Weitere Anmeldewege" in page
    assert "/konto/oidc/" not in page


def test_in_english(client: Client, settings: Any) -> None:
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"
    page = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    button = SAML_BUTTON.search(page)
    assert button, page
    assert button.group(2) == "Log in with BundID"
    assert "Other ways to log in" in page


def test_a_return_address_elsewhere_is_dropped(client: Client, settings: Any) -> None:
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"
    page = client.get("/konto/login/", {"next": "https://evil.example/"}).content.decode()
    button = SAML_BUTTON.search(page)
    assert button, page
    assert button.group(1) == "/konto/saml/login/"


def test_both_providers_are_offered_when_both_are_configured(client: Client, settings: Any) -> None:
    settings.SAML_IDP_METADATA = "/nonexistent/idp.xml"
    _oidc_app()
    page = html.unescape(client.get("/konto/login/", {"next": "/konto/"}).content.decode())
    assert 'href="/konto/oidc/bundid/login/?process=login&next=%2Fkonto%2F"' in page
    assert "Mit BundID / Online-Ausweis anmelden" in page
    assert SAML_BUTTON.search(page)


def test_only_oidc_configured_offers_only_oidc(client: Client, settings: Any) -> None:
    settings.SAML_IDP_METADATA = ""
    _oidc_app()
    page = client.get("/konto/login/").content.decode()
    assert "/konto/oidc/bundid/login/?process=login" in page
    assert "/konto/saml/login/" not in page


@pytest.mark.django_db(transaction=True)
def test_the_button_logs_in_at_the_idp(live_server: Any, saml_idp: Idp) -> None:
    base = live_server.url
    session = browser()
    login_page = session.get(f"{base}/konto/login/?next=/konto/anliegen/", timeout=10)
    button = SAML_BUTTON.search(login_page.text)
    assert button, login_page.text[:500]
    back = saml_login(
        session, base, html.unescape(button.group(1)), method="eid", email="erika@example.org"
    )
    assert back.status_code == 200, back.text[:500]
    assert back.url == f"{base}/konto/anliegen/"
    user = User.objects.get(email="erika@example.org")
    assert user.assurance_level == User.AssuranceLevel.VERIFIED
