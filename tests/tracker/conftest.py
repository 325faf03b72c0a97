"""Fixtures for the staff workflow tests (see tests/tracker/staff/fixtures.py), and the
planning tests' small region for the report tiles (tests/tracker/test_tiles.py)."""

from __future__ import annotations

import pytest

from tests.planning.conftest import populated, region  # noqa: F401 - fixtures for test_tiles

from .staff.fixtures import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()
