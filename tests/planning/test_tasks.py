"""The facts view is refreshed by Celery beat."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from planning.filters import PlanningFilterForm
from planning.scope import planning_scope
from planning.selectors import facts_refreshed_at, statistics
from planning.tasks import planning_scopes, refresh_planning_facts

from .conftest import Region

pytestmark = pytest.mark.django_db


def test_beat_schedules_the_refresh() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["planning-refresh-facts"]
    assert entry["task"] == "planning.tasks.refresh_planning_facts"
    assert entry["schedule"] == 300


def test_refresh_task_picks_up_new_reports(region: Region) -> None:
    region.report(region.nord, 10.1, 53.3)
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW planning_report_facts")
    region.report(region.nord, 10.1, 53.3)
    refresh_planning_facts.delay()  # eager in tests; CONCURRENTLY, as beat runs it
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM planning_report_facts")
        assert cursor.fetchone() == (2,)
    assert facts_refreshed_at() is not None


def test_refresh_warms_the_statistics_of_every_scope(
    populated: Region, django_assert_num_queries: Any
) -> None:
    refresh_planning_facts.delay()
    # superusers, the Kreis region, Nord and Süd (the crew does not plan)
    assert len(planning_scopes()) == 4
    for planner, total in (
        (populated.kreis_planner, 12),
        (populated.nord_planner, 8),
        (populated.sued_planner, 3),
    ):
        form = PlanningFilterForm({}, scope=planning_scope(planner))
        assert form.is_valid()
        filters = form.filters()
        with django_assert_num_queries(0):
            assert statistics(filters).total == total
