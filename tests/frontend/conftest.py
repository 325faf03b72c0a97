from tests.events.conftest import calendar_demo  # noqa: F401
