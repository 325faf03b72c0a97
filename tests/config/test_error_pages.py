"""Error pages as visitors see them with DEBUG off: German, on our layout, with a way back."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_debug_off")]


@pytest.fixture
def _debug_off(settings) -> None:
    settings.DEBUG = False


def _is_our_layout(html: str) -> bool:
    return 'class="site-header"' in html and 'href="/impressum/"' in html and 'href="/"' in html


def test_404_is_german_on_our_layout_with_a_way_home(client: Client) -> None:
    response = client.get("/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html
    assert "Zur Startseite" in html
    assert '<html lang="de">' in html
    assert _is_our_layout(html)
    assert "Not Found" not in html


def test_404_follows_the_visitors_language(client: Client) -> None:
    response = client.get("/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_403_shows_the_reason_the_view_gave(client: Client) -> None:
    client.force_login(User.objects.create_user(email="buerger@example.org", password="x"))
    response = client.get("/arbeit/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Kein Zugriff" in html
    assert "Nur für Mitarbeitende einer zuständigen Stelle." in html
    assert _is_our_layout(html)


def test_400_for_a_foreign_host_is_german(client: Client) -> None:
    response = client.get("/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ungültige Anfrage" in html
    assert _is_our_layout(html)


@override_settings(ROOT_URLCONF="tests.config.boom_urls")
def test_500_is_german_on_our_layout() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in html
    assert _is_our_layout(html)


@override_settings(ROOT_URLCONF="tests.config.boom_urls")
def test_500_falls_back_to_a_plain_german_page_when_the_layout_fails(monkeypatch) -> None:
    from config import errors

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in html
    assert '<a href="/">Zur Startseite</a>' in html


def test_csrf_failure_page_is_german() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/konto/login/", {"login": "a@example.org", "password": "x"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in html
    assert _is_our_layout(html)
    assert "CSRF verification failed" not in html
