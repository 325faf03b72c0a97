from __future__ import annotations

import pytest

from data.demo import load_demo
from data.demo_calendar import load_demo_calendar


@pytest.fixture
def calendar_demo() -> None:
    """The demo region with its events (this month) and collection districts."""
    load_demo(commit=True)
    load_demo_calendar(commit=True)
