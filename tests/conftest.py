"""Shared fixtures. Tests run against the real PostGIS and Redis that `make test` starts."""

from __future__ import annotations

from pathlib import Path

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
