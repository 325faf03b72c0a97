"""Shared fixtures. Tests run against the real PostGIS and Redis that `make test` starts."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium per session for the browser tests of tests/e2e and tests/smoke (a second
    sync Playwright would clash with the first one's event loop). Settings: tests/e2e/conftest."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def geodata() -> Path:
    return GEODATA


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate-limit counters live in the (test) Redis cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _german_by_default() -> None:
    """Requests switch the thread's language (LocaleMiddleware does not switch back); code
    called outside a request in the next test must start in the default language again."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
