"""Heatmap bins from the stored cells (planning_bin_cells) equal the bins counted from the
facts, for every filter the cells answer; other filters fall back to the facts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from planning import density
from planning.filters import PlanningFilterForm, PlanningFilters
from planning.scope import planning_scope
from planning.selectors import refresh_report_facts
from tracker.models import Status

from .conftest import BASE, Region

pytestmark = pytest.mark.django_db


def filters_for(region: Region, user: object = None, **data: object) -> PlanningFilters:
    form = PlanningFilterForm(data, scope=planning_scope(user or region.kreis_planner))
    assert form.is_valid(), form.errors
    return form.filters()


@pytest.fixture
def spread(populated: Region) -> Region:
    """The populated region and 40 more reports across the Kreis, months and statuses."""
    statuses = [Status.NEW, Status.IN_PROGRESS, Status.DONE, Status.IN_REVIEW]
    for k in range(40):
        populated.report(
            populated.nord if k % 3 else populated.sued,
            9.92 + (k * 0.0093) % 0.36,
            53.12 + (k * 0.0071) % 0.26,
            category=populated.light if k % 2 else populated.pothole,
            status=statuses[k % 4],
            created_at=BASE + dt.timedelta(days=11 * k, hours=k),
        )
    refresh_report_facts(concurrently=False)
    return populated


def both(filters: PlanningFilters, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """The bins from the stored cells and from the facts, and whether the cells answered."""
    query = density.density_bins_query(filters, **kwargs)
    live = density.density_bins_query(filters, stored_cells=False, **kwargs)
    assert not live.aggregated
    answers = []
    for sql, params in ((query.sql, query.params), (live.sql, live.params)):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            answers.append(json.loads(cursor.fetchone()[0]))
    return answers[0], answers[1], query.aggregated


def by_cell(bins: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted(
        (json.dumps(f["geometry"], sort_keys=True), f["properties"]["count"])
        for f in bins["features"]
    )


FILTERS: list[dict[str, str]] = [
    {},
    {"category": "laterne"},
    {"status": "open"},
    {"status": "done"},
    {"since": "2026-04-01", "until": "2026-09-30"},
    {"since": "2026-05-01"},
    {"until": "2026-06-30"},
    {"authority": "sued"},
    {"authority": "nord", "category": "schlagloch"},
]


@pytest.mark.parametrize("data", FILTERS, ids=lambda d: ",".join(d) or "none")
@pytest.mark.parametrize("size", [250, 2000, 20000])
@pytest.mark.parametrize("view", [None, (10.0, 53.2, 10.2, 53.33)], ids=["all", "view"])
def test_stored_cells_equal_the_counted_facts(
    spread: Region, data: dict[str, str], size: int, view: tuple[float, float, float, float] | None
) -> None:
    bbox = Polygon.from_bbox(view) if view else None
    stored, counted, aggregated = both(filters_for(spread, **data), bbox=bbox, size_m=size)
    assert aggregated
    assert by_cell(stored) == by_cell(counted)
    assert stored["total"] == counted["total"] and stored["max"] == counted["max"]
    assert stored["cell_size_m"] == size
    if not data and view is None:
        assert stored["total"] == 52


def test_a_gemeinde_planner_sees_only_its_cells(spread: Region) -> None:
    filters = filters_for(spread, spread.sued_planner)
    stored, counted, aggregated = both(filters, bbox=None, size_m=1000)
    assert aggregated and by_cell(stored) == by_cell(counted)
    assert stored["total"] == len(spread.reports["sued"])


@pytest.mark.parametrize(
    ("data", "size"),
    [
        ({"since": "2026-04-15"}, 2000),  # not a month's start
        ({"category": "laterne", "status": "open"}, 2000),  # two of the three
        ({"road_ref": "K12"}, 2000),
        ({"road_class": "K"}, 2000),
        ({}, 100),  # a size the cells do not hold
    ],
)
def test_other_filters_count_the_facts(spread: Region, data: dict[str, str], size: int) -> None:
    stored, counted, aggregated = both(filters_for(spread, **data), bbox=None, size_m=size)
    assert not aggregated
    assert by_cell(stored) == by_cell(counted) and stored["total"] > 0


def test_a_cell_counts_all_its_reports_when_the_view_cuts_it(populated: Region) -> None:
    # the view ends in the middle of the six potholes' cell: the cell counts all six
    view = Polygon.from_bbox((10.0, 53.25, 10.10012, 53.30005))
    for stored_cells in (True, False):
        query = density.density_bins_query(
            filters_for(populated), bbox=view, size_m=2000, stored_cells=stored_cells
        )
        with connection.cursor() as cursor:
            cursor.execute(query.sql, query.params)
            bins = json.loads(cursor.fetchone()[0])
        assert 6 in [f["properties"]["count"] for f in bins["features"]]


def test_new_reports_reach_the_cells_with_the_refresh(populated: Region) -> None:
    filters = filters_for(populated)
    before = json.loads(density.density_bins(filters, bbox=None, size_m=5000))
    populated.report(populated.nord, 10.1, 53.3)
    assert json.loads(density.density_bins(filters, bbox=None, size_m=5000)) == before
    refresh_report_facts(concurrently=False)
    after = json.loads(density.density_bins(filters, bbox=None, size_m=5000))
    assert after["total"] == before["total"] + 1
