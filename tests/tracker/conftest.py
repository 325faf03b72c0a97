"""Fixtures for the staff workflow tests (see tests/tracker/staff/fixtures.py)."""

from __future__ import annotations

import pytest

from .staff.fixtures import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()
