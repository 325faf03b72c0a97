"""Shared fixtures. Tests run against the real PostGIS and Redis that `make test` starts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.geodata import GEODATA


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests marked `realdata` read ../shared/geodata. They run whenever it exists (as in CI);
    # without it they are deselected, not skipped, so the rest of the suite still passes.
    if GEODATA.is_dir():
        return
    kept = [item for item in items if "realdata" not in item.keywords]
    deselected = [item for item in items if "realdata" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture
def geodata() -> Path:
    return GEODATA


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate-limit counters live in the (test) Redis cache; every test starts with none. The
    per-process category and Open311 endpoint caches are dropped too (each test's database is
    rolled back)."""
    from django.core.cache import cache

    from tracker import category_cache
    from tracker.open311 import outbound

    cache.clear()
    category_cache.forget()
    outbound.forget()


@pytest.fixture(autouse=True)
def _german_by_default() -> None:
    """Requests switch the thread's language (LocaleMiddleware does not switch back); code
    called outside a request in the next test must start in the default language again."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def prepared_statements() -> Callable[[str], list[str]]:
    """The prepared statements of this test's database connection that mention `text`
    (core/dbread.py prepares the hot statements once per connection)."""
    from django.db import connection

    def prepared(text: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall() if text in statement]

    return prepared


CHROMIUM = os.environ.get("MM_CHROMIUM", "/usr/bin/chromium")
# Flags an offline machine needs: without the background-networking ones chromium keeps
# trying to reach Google's hosts and gets refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL without a GPU (software rendering) for the MapLibre base map.
    "--enable-unsafe-swiftshader",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Debian chromium for the session, shared by the browser tests in tests/e2e and the
    smoke suite (Playwright allows one sync event loop per thread)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # ordinary synchronous code, so Django's async-safety guard must stand aside.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
