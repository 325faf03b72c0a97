"""Fixtures for the staff workflow tests (see staff_fixtures.py)."""

from __future__ import annotations

import pytest

from .staff_fixtures import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()
