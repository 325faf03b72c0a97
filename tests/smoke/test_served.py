"""Over real HTTP against gunicorn with the production settings (see conftest.py)."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import HEALTHZ_TOKEN, Served, fetch

# django_db: makes pytest-django create the test database even when only this suite runs (the
# server reads it; these tests write nothing).
pytestmark = [pytest.mark.smoke, pytest.mark.django_db]
LEGAL = {
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/leichte-sprache/": "Leichte Sprache",
}


def test_home_page_has_security_headers_and_legal_links(served: Served) -> None:
    answer = fetch(served, "/")
    assert answer.status == 200
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "geolocation=(self)" in answer.headers["Permissions-Policy"]
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    footer = answer.body.split('<footer class="site-footer">', 1)[1]
    for path in LEGAL:
        assert f'href="{path}"' in footer


def test_cookies_are_secure_behind_tls(served: Served) -> None:
    answer = fetch(served, "/konto/login/")
    assert answer.status == 200
    cookie = answer.headers.get("Set-Cookie", "")
    assert "csrftoken=" in cookie
    assert "Secure" in cookie


@pytest.mark.parametrize(("path", "title"), LEGAL.items())
def test_legal_pages_are_served_in_german(served: Served, path: str, title: str) -> None:
    answer = fetch(served, path)
    assert answer.status == 200
    assert '<html lang="de">' in answer.body
    assert f"<h1>{title}</h1>" in answer.body


def test_404_is_german_and_styled(served: Served) -> None:
    answer = fetch(served, "/gibt-es-nicht/")
    assert answer.status == 404
    assert "Seite nicht gefunden" in answer.body
    assert 'class="site-header"' in answer.body
    css = re.search(r'<link rel="stylesheet" href="(/static/css/site[^"]*\.css)"', answer.body)
    assert css, "the layout's stylesheet is linked"
    stylesheet = fetch(served, css.group(1))
    assert stylesheet.status == 200
    assert stylesheet.headers["Content-Type"].startswith("text/css")
    assert ".site-header" in stylesheet.body


def test_csrf_failure_page_is_german(served: Served) -> None:
    answer = fetch(
        served,
        "/konto/login/",
        method="POST",
        data=b"login=a%40example.org&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 403
    assert "Das Formular ist abgelaufen" in answer.body
    assert 'class="site-header"' in answer.body


def test_static_files_are_served_from_the_collected_directory(served: Served) -> None:
    assert (served.static_root / "css" / "site.css").is_file()
    answer = fetch(served, "/static/vendor/leaflet/leaflet.css")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/css")


def test_healthz_hides_versions_and_is_reachable_without_tls(served: Served) -> None:
    answer = fetch(served, "/healthz", https=False)  # the proxy's own check, plain HTTP
    assert answer.status == 200
    assert json.loads(answer.body) == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_shows_monitoring_the_backlogs_with_its_token(served: Served) -> None:
    wrong = fetch(served, "/healthz", headers={"Authorization": "Bearer guessed"})
    assert "queues" not in json.loads(wrong.body)
    answer = fetch(served, "/healthz", headers={"Authorization": f"Bearer {HEALTHZ_TOKEN}"})
    assert answer.status == 200
    body = json.loads(answer.body)
    assert body["status"] == "ok"
    # The production server reaches the broker: each queue's length is a number, not unknown.
    assert all(isinstance(length, int) for length in body["queues"].values()), body["queues"]
    assert set(body["queues"]) == {"celery", "images"}
    assert isinstance(body["photos_unredacted"]["count"], int)
    assert isinstance(body["outbox_due"]["count"], int)
    assert body["postgis"]


def test_plain_http_is_redirected_to_https(served: Served) -> None:
    answer = fetch(served, "/impressum/", https=False)
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://127.0.0.1")
    assert answer.headers["Location"].endswith("/impressum/")


def test_oversized_upload_is_refused_before_the_body_arrives(served: Served) -> None:
    answer = fetch(
        served,
        "/api/v1/reports",
        method="POST",
        data=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": str(500 * 1024 * 1024)},
    )
    assert answer.status == 413
    assert "zu groß" in answer.body


def test_api_docs_work_under_the_policy(served: Served) -> None:
    page = fetch(served, "/api/v1/docs/")
    assert page.status == 200
    for src in re.findall(r'<script src="([^"]+)"', page.body):
        script = fetch(served, src.replace("&amp;", "&"))
        assert script.status == 200, src
    assert not re.search(r"<script>", page.body)


def test_the_catalogue_search_is_answered_alike_every_time(served: Served) -> None:
    """The WSGI front (core/wsgi_front.py) answers repeated searches with the headers Django
    gave the first in each worker process; plain HTTP is redirected every time."""
    answers = [fetch(served, "/api/v1/services?q=Hund") for _ in range(8)]
    first = answers[0]
    assert first.status == 200
    assert json.loads(first.body)["count"] >= 0
    assert first.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Content-Language"] == "de"
    # Framing aside (the front sends Content-Length where Django's answer was chunked).
    framing = {"Date", "Content-Length", "Transfer-Encoding"}
    for answer in answers[1:]:
        assert (answer.status, answer.body) == (first.status, first.body)
        assert {k: v for k, v in answer.headers.items() if k not in framing} == {
            k: v for k, v in first.headers.items() if k not in framing
        }
    assert any("Content-Length" in answer.headers for answer in answers)
    for _ in range(4):
        plain = fetch(served, "/api/v1/services?q=Hund", https=False)
        assert plain.status == 301
