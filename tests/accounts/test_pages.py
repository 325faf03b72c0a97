"""Every account page in our layout: lang, skip link, landmarks, one h1, labelled inputs.
The browser test (tests/e2e/test_accounts.py) runs axe-core on the main ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Engine
from django.test import Client

from tests.accounts.conftest import MakeUser, assert_page_structure

pytestmark = pytest.mark.django_db

ACCOUNTS_TEMPLATES = Path(__file__).resolve().parents[2] / "accounts" / "templates"


@pytest.mark.parametrize(
    "name", ["allauth/layouts/base.html", "allauth/elements/fields.html", "429.html"]
)
def test_our_overrides_win_over_allauths_templates(name: str) -> None:
    # Needs "accounts" above "allauth" in INSTALLED_APPS: app templates are searched in order.
    origin = Path(Engine.get_default().get_template(name).origin.name)
    assert origin.is_relative_to(ACCOUNTS_TEMPLATES), origin


@pytest.mark.parametrize(
    "path",
    [
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/konto/confirm-email/",
        "/konto/confirm-email/kein-gueltiger-schluessel/",
    ],
)
def test_entrance_pages_use_our_layout(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert_page_structure(response.content.decode())


@pytest.mark.parametrize(
    "path",
    [
        "/konto/",
        "/konto/anliegen/",
        "/konto/loeschen/",
        "/konto/password/change/",
        "/konto/email/",
        "/konto/logout/",
    ],
)
def test_account_pages_use_our_layout(client: Client, make_user: MakeUser, path: str) -> None:
    client.force_login(make_user())

    response = client.get(path)

    assert response.status_code == 200
    assert_page_structure(response.content.decode())


def test_form_errors_are_announced_and_tied_to_their_fields(client: Client) -> None:
    response = client.post(
        "/konto/signup/",
        {"email": "kein-email", "password1": "kurz", "password2": "anders"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert_page_structure(html)


def test_deleted_confirmation_page_uses_our_layout(client: Client) -> None:
    assert_page_structure(client.get("/konto/geloescht/").content.decode())


INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "path",
    ["/konto/login/", "/konto/signup/", "/konto/password/reset/", "/konto/confirm-email/"],
)
def test_entrance_pages_address_citizens_formally(client: Client, path: str) -> None:
    # allauth's German catalogue says "du"; a public authority says "Sie" (our templates).
    html = client.get(path).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert not INFORMAL.search(main), INFORMAL.findall(main)
