"""Headers, cookies, secrets and the request-body cap: what a browser or an attacker notices."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def production_env(**extra: str) -> dict[str, str]:
    """The documented production environment (docs/deployment.md), on this machine's services."""
    env = {
        # Without the test process's DJANGO_ALLOW_ASYNC_UNSAFE (set for the browser tests).
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "maengelmelder.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://maengelmelder.example.org",
        "PORTAL_URL": "https://maengelmelder.example.org",
        "DJANGO_HTTPS": "true",
        "DJANGO_DEBUG": "false",
    }
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SETTINGS_AS_JSON = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
    "'SECURE_REDIRECT_EXEMPT', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECRET_KEY_FALLBACKS', 'DEBUG']}))"
)


# ---------------------------------------------------------------- secrets
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "DJANGO_SECRET_KEY is not set"),
        ("insecure-dev-key-change-me-in-production", "published, insecure"),
        ("kurz-und-geheim", "too short"),
        ("a" * 80, "too short or too simple"),
    ],
)
def test_production_refuses_to_start_with_a_missing_or_known_key(key: str, message: str) -> None:
    result = run_python("import django; django.setup()", production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "docs/deployment.md" in result.stderr


def test_production_takes_https_settings_and_key_fallbacks_from_the_environment() -> None:
    old = secrets.token_urlsafe(64)
    result = run_python(SETTINGS_AS_JSON, production_env(DJANGO_SECRET_KEY_FALLBACKS=old))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECRET_KEY_FALLBACKS"] == [old]
    assert values["DEBUG"] is False


def test_without_https_cookies_are_not_secure_and_nothing_redirects() -> None:
    """`make run` on loopback has no TLS: Secure cookies would make logging in impossible."""
    result = run_python(SETTINGS_AS_JSON, production_env(DJANGO_HTTPS="false"))
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_check_deploy_is_silent_with_the_documented_production_environment() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.findall(r"\(([\w.]+\.[WE]\d+)\)", output) == [], output
    assert "System check identified no issues" in output, output


def test_setup_writes_a_secret_key_once_readable_by_the_owner_only(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_URL=postgis://x@127.0.0.1/x")  # no trailing newline
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    script = str(ROOT / "scripts" / "ensure-secret-key.sh")
    subprocess.run([script, str(env_file)], env=env, check=True, capture_output=True)  # noqa: S603
    first = env_file.read_text()
    assert first.startswith("DATABASE_URL=postgis://x@127.0.0.1/x\nDJANGO_SECRET_KEY=")
    key = first.split("DJANGO_SECRET_KEY=", 1)[1].strip()
    assert len(key) >= 50
    assert env_file.stat().st_mode & 0o777 == 0o600

    subprocess.run([script, str(env_file)], env=env, check=True, capture_output=True)  # noqa: S603
    assert env_file.read_text() == first  # never rotated behind the operator's back

    configured = tmp_path / "configured.env"
    env_with_key = {**env, "DJANGO_SECRET_KEY": "from-the-environment"}
    subprocess.run([script, str(configured)], env=env_with_key, check=True)  # noqa: S603
    assert "DJANGO_SECRET_KEY" not in (configured.read_text() if configured.exists() else "")


# ---------------------------------------------------------------- headers
def test_pages_carry_a_content_security_policy_without_inline_scripts(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert set(directives["img-src"]) >= {"'self'", "data:", "blob:"}
    # The base map comes from our own tiles: no outside origin by default.
    assert set(directives["img-src"]) == {"'self'", "data:", "blob:"}
    assert directives["connect-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)


def test_permissions_policy_allows_position_and_camera_for_reporting_only(client: Client) -> None:
    policy = client.get("/")["Permissions-Policy"]
    assert "geolocation=(self)" in policy
    assert "camera=(self)" in policy
    assert "microphone=()" in policy
    assert "payment=()" in policy


def test_api_docs_load_their_start_script_as_a_file(client: Client) -> None:
    page = client.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script_url = re.findall(r'<script src="([^"]*script=[^"]*)"', html)[0]
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# ---------------------------------------------------------------- request body cap
@override_settings(REQUEST_BODY_MAX_BYTES=1000)
def test_oversized_bodies_are_refused_with_a_german_413_before_reading(client: Client) -> None:
    response = client.post(
        "/api/v1/reports", data=b"x" * 10, content_type="application/json", CONTENT_LENGTH="5000"
    )
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()
    small = client.post("/api/v1/reports", data=b"{}", content_type="application/json")
    assert small.status_code == 400  # reached the API, which explains what is missing


def test_the_default_cap_lets_a_report_with_five_full_size_photos_through() -> None:
    assert settings.REQUEST_BODY_MAX_BYTES > 5 * settings.PHOTO_MAX_BYTES
