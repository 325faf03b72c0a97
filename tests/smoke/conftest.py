"""The portal as `make run` serves it: collected static files, gunicorn, production settings,
DEBUG off, behind a TLS proxy (DJANGO_HTTPS=true; the tests send X-Forwarded-Proto as nginx does).
One server for the whole session, on the pytest-django test database."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Served:
    base_url: str
    static_root: Path


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(settings_dict: dict[str, Any]) -> str:
    return (
        f"postgis://{settings_dict['USER']}:{settings_dict['PASSWORD']}@"
        f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
        f"{settings_dict['NAME']}"
    )


def _start(env: dict[str, str], tmp: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = _free_port()
    log = tmp / "gunicorn.log"
    process = subprocess.Popen(  # noqa: S603 - the Procfile's command
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn died:\n{log.read_text()}")
        try:
            # Workers boot after the socket listens: a first answer may take seconds.
            urllib.request.urlopen(f"{base_url}/healthz", timeout=10)  # noqa: S310
            return process, base_url, log
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"gunicorn not ready:\n{log.read_text()}") from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# What a monitoring system sends as `Authorization: Bearer …` to see /healthz's backlogs.
HEALTHZ_TOKEN = secrets.token_urlsafe(32)


@pytest.fixture(scope="session")
def served_env(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], Path]:
    """The production environment of `make run` on the test database, static files collected
    once. Uploads are the test settings' MEDIA_ROOT, so files the tests store are served."""
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    tmp = tmp_path_factory.mktemp("served")
    static_root = tmp / "static"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # No tile server can be reached from here (issue 16 brings our own base map).
        "MAP_TILE_URL": "",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "PYTHONPATH": str(ROOT),
        "HEALTHZ_TOKEN": HEALTHZ_TOKEN,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env, tmp


@pytest.fixture(scope="session")
def served(served_env: tuple[dict[str, str], Path]) -> Iterator[Served]:
    """Behind a TLS proxy (DJANGO_HTTPS=true; requests carry X-Forwarded-Proto)."""
    env, tmp = served_env
    (tmp / "tls").mkdir(exist_ok=True)
    process, base_url, _log = _start({**env, "DJANGO_HTTPS": "true"}, tmp / "tls")
    try:
        yield Served(base_url, Path(env["DJANGO_STATIC_ROOT"]))
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def served_plain(served_env: tuple[dict[str, str], Path]) -> Iterator[Served]:
    """Plain HTTP on loopback, for the browser (it cannot add the proxy's header to every
    subresource request)."""
    env, tmp = served_env
    (tmp / "plain").mkdir(exist_ok=True)
    process, base_url, _log = _start({**env, "DJANGO_HTTPS": "false"}, tmp / "plain")
    try:
        yield Served(base_url, Path(env["DJANGO_STATIC_ROOT"]))
    finally:
        _stop(process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(
    served: Served,
    path: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    https: bool = True,
) -> Answer:
    """One request as the TLS proxy forwards it (X-Forwarded-Proto), redirects not followed."""
    all_headers = {"Accept-Language": "de", **(headers or {})}
    if https:
        all_headers["X-Forwarded-Proto"] = "https"
    request = urllib.request.Request(  # noqa: S310 - loopback
        served.base_url + path, data=data, headers=all_headers, method=method
    )
    try:
        with _opener.open(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))
