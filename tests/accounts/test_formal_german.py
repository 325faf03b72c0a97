"""German addresses citizens as "Sie"; English is a complete second language.

django-allauth's own German catalogue says "du". locale/de/LC_MESSAGES/django.po overrides
exactly those strings with formal ones (LOCALE_PATHS wins over app catalogues); these tests
check that the override reaches rendered pages and covers every allauth string.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.test import Client
from django.utils import translation

from tests.accounts.conftest import PASSWORD, MakeUser

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(
    r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b"
    r"|\bBitte (gib|melde|bestätige|wähle|versuche|kontaktiere|klick|lass)\b"
    r"|\bBestätige\b",
    re.IGNORECASE,
)
ALLAUTH_DE = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_signup_error_from_allauth_is_formal(client: Client) -> None:
    response = client.post(
        "/konto/signup/",
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    main = main_of(response.content.decode())
    assert "Sie müssen zweimal dasselbe Passwort eingeben." in main
    assert "Du musst" not in main
    assert not INFORMAL.search(main), INFORMAL.findall(main)


def test_password_change_error_from_allauth_is_formal(client: Client, make_user: MakeUser) -> None:
    client.force_login(make_user())
    response = client.post(
        "/konto/password/change/",
        {"oldpassword": "falsch", "password1": PASSWORD + "x", "password2": PASSWORD + "x"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    main = main_of(response.content.decode())
    assert "Bitte geben Sie Ihr aktuelles Passwort ein." in main
    assert not INFORMAL.search(main), INFORMAL.findall(main)


def test_password_reset_page_is_formal(client: Client) -> None:
    response = client.get("/konto/password/reset/", HTTP_ACCEPT_LANGUAGE="de")
    main = main_of(response.content.decode())
    assert "Geben Sie die E-Mail-Adresse Ihres Kontos ein." in main
    assert not INFORMAL.search(main), INFORMAL.findall(main)


def test_no_allauth_string_is_informal_in_german() -> None:
    # Catches new "du" strings after an allauth upgrade: add a formal version to locale/de.
    with ALLAUTH_DE.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    informal = []
    with translation.override("de"):
        for key in catalog:
            if not key or (isinstance(key, tuple) and key[1] != 0):
                continue
            if isinstance(key, tuple):
                text = translation.ngettext(key[0], key[0], 1) + translation.ngettext(
                    key[0], key[0], 2
                )
            elif "\x04" in key:
                text = translation.pgettext(*key.split("\x04", 1))
            else:
                text = translation.gettext(key)
            if INFORMAL.search(text):
                informal.append((key, text))
    assert len(catalog) > 300
    assert not informal, informal


def test_signed_out_message_is_formal() -> None:
    with translation.override("de"):
        # A variable, not a literal: makemessages must not put allauth's msgid into our catalog.
        msgid = "You have signed out."
        assert translation.gettext(msgid) == "Sie haben sich abgemeldet."


@pytest.mark.parametrize(
    ("path", "english", "german"),
    [
        ("/", "How it works", "So funktioniert es"),
        ("/karte/", "All categories", "Alle Kategorien"),
        ("/melden/", "Where is the problem?", "Wo ist das Problem?"),
        ("/konto/login/", "No citizen account yet?", "Noch kein Bürgerkonto?"),
    ],
)
def test_pages_speak_english_when_asked(
    client: Client, path: str, english: str, german: str
) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert english in html
    assert german not in html


def test_api_errors_speak_english_when_asked(client: Client) -> None:
    response = client.get(
        "/api/v1/locate",
        {"lat": "53.05", "lon": "10.1", "category": "gibt-es-nicht"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = str(response.json())
    assert "Unknown category: gibt-es-nicht" in body
    assert "Unbekannte Kategorie" not in body
