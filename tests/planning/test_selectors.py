"""Planner aggregates on known data: bins, hot spots, road ranking, statistics."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.gis.geos import Polygon

from planning import density, selectors
from planning.filters import PlanningFilterForm, PlanningFilters
from planning.scope import planning_scope
from tracker.models import Status

from .conftest import BASE, Region, status_change

pytestmark = pytest.mark.django_db


def filters_for(region: Region, user: object = None, **data: object) -> PlanningFilters:
    form = PlanningFilterForm(data, scope=planning_scope(user or region.kreis_planner))
    assert form.is_valid(), form.errors
    return form.filters()


@pytest.mark.parametrize("shape", ["square", "hex"])
@pytest.mark.parametrize("size", [50, 500, 20000])
def test_bins_sum_to_the_filtered_count(populated: Region, shape: str, size: int) -> None:
    everything = json.loads(
        density.density_bins(filters_for(populated), bbox=None, size_m=size, shape=shape)
    )
    assert sum(f["properties"]["count"] for f in everything["features"]) == 12
    assert everything["total"] == 12
    assert everything["cell_size_m"] == size

    potholes_nord = filters_for(populated, category="schlagloch", authority="nord")
    bins = json.loads(density.density_bins(potholes_nord, bbox=None, size_m=size, shape=shape))
    assert sum(f["properties"]["count"] for f in bins["features"]) == 6


def test_bins_are_cells_of_the_requested_size_in_the_view(populated: Region) -> None:
    view = Polygon.from_bbox((10.05, 53.28, 10.15, 53.32))
    bins = json.loads(
        density.density_bins(filters_for(populated), bbox=view, size_m=500, shape="square")
    )
    # only the six potholes of the cluster are in the view, all in one 500 m cell
    assert [f["properties"]["count"] for f in bins["features"]] == [6]
    geometry = bins["features"][0]["geometry"]
    assert geometry["type"] == "Polygon"
    lons = [point[0] for point in geometry["coordinates"][0]]
    # 500 m east-west at 53.3°N is about 0.0075°
    assert 0.006 < max(lons) - min(lons) < 0.009


def test_bins_of_a_gemeinde_planner_hold_only_its_reports(populated: Region) -> None:
    bins = json.loads(
        density.density_bins(filters_for(populated, populated.sued_planner), bbox=None, size_m=1000)
    )
    assert bins["total"] == 3


def test_cell_size_follows_the_zoom() -> None:
    assert density.cell_size_for_zoom(10, 53.2) == 2000
    assert density.cell_size_for_zoom(16, 53.2) in (25, 50)
    assert density.cell_size_for_zoom(6, 53.2) in (20000, 50000)


def test_hotspots_find_the_cluster_in_metres(populated: Region) -> None:
    spots = selectors.hotspots(filters_for(populated), eps_m=50, min_points=5)
    assert len(spots) == 1
    (spot,) = spots
    assert spot.count == 6
    assert spot.category_id == populated.pothole.pk
    assert sorted(spot.report_ids) == sorted(r.pk for r in populated.reports["nord"][:6])
    assert abs(spot.lon - 10.100125) < 0.0001
    assert spot.radius_m < 25
    # a tighter radius splits the chain (neighbours are ~4.3 m apart)
    assert selectors.hotspots(filters_for(populated), eps_m=3, min_points=5) == []


def test_roads_ranked_by_reports_per_km(populated: Region) -> None:
    (rank,) = selectors.road_ranking(filters_for(populated))
    assert rank.ref == "K 12"
    assert rank.count == 6
    assert 0.99 < rank.length_km < 1.01  # 0.009° of latitude ≈ 1.0 km on the geography
    assert rank.per_km == pytest.approx(6 / rank.length_km, rel=1e-3)
    assert selectors.road_ranking(filters_for(populated, road_ref="k12"))[0].count == 6
    assert selectors.road_ranking(filters_for(populated, road_class="B")) == []


def test_statistics_medians_and_percentiles_by_hand(region: Region) -> None:
    reports = [
        region.report(region.nord, 10.1, 53.3, created_at=BASE + dt.timedelta(days=i))
        for i in range(5)
    ]
    # acknowledged after 1, 2, 3, 4 and 10 hours (first change away from "new")
    for report, hours in zip(reports, [1, 2, 3, 4, 10], strict=True):
        status_change(report, Status.NEW, Status.IN_REVIEW, hours)
    # a later change does not move the acknowledgement; neither does a non-status entry
    status_change(reports[0], Status.IN_REVIEW, Status.PLANNED, 100)
    # fixed after 24 and 48 hours; the others are open
    status_change(reports[0], Status.PLANNED, Status.DONE, 24)
    status_change(reports[1], Status.IN_REVIEW, Status.DONE, 48)
    selectors.refresh_report_facts(concurrently=False)

    stats = selectors.statistics(filters_for(region))
    hour = 3600.0
    assert stats.total == 5
    assert stats.durations.ack_median == pytest.approx(3 * hour)
    # percentile_cont: 4 + 0.6 * (10 - 4) = 7.6 hours
    assert stats.durations.ack_p90 == pytest.approx(7.6 * hour)
    assert stats.durations.fix_median == pytest.approx(36 * hour)
    assert stats.durations.fix_p90 == pytest.approx(45.6 * hour)


def test_statistics_counts_overdue_share_and_roads(populated: Region) -> None:
    now = dt.datetime.now(dt.UTC)
    nord = populated.reports["nord"]
    # two of the open Nord reports are past their due date, one is not yet due
    for report, due in (
        (nord[0], now - dt.timedelta(days=1)),
        (nord[1], now - dt.timedelta(days=2)),
    ):
        type(report).objects.filter(pk=report.pk).update(due_at=due)
    type(nord[2]).objects.filter(pk=nord[2].pk).update(due_at=now + dt.timedelta(days=3))
    selectors.refresh_report_facts(concurrently=False)

    stats = selectors.statistics(filters_for(populated))
    assert stats.total == 12
    assert stats.open == 11
    assert stats.overdue == 2
    assert stats.overdue_share == pytest.approx(2 / 11)
    assert dict(stats.by_category) == {populated.pothole.pk: 10, populated.light.pk: 2}
    assert dict(stats.by_status) == {"new": 11, "done": 1}
    assert dict(stats.by_authority) == {
        populated.nord.pk: 8,
        populated.sued.pk: 3,
        populated.kreis.pk: 1,
    }
    assert dict(stats.by_month) == {"2026-03": 11, "2026-04": 1}
    assert stats.by_road == [
        {"ref": "K 12", "count": 6, "open": 6, "overdue": 2, "fix_median": None}
    ]


def test_statistics_filters_period_and_status(populated: Region) -> None:
    march_first_days = filters_for(populated, since="2026-03-02", until="2026-03-03")
    # 2 March 08:00 UTC: the first pothole, a light, 3 in Süd, 1 Kreis; 3 March: 1 pothole
    assert selectors.statistics(march_first_days).total == 7
    assert selectors.statistics(filters_for(populated, status="open")).total == 11
    assert selectors.statistics(filters_for(populated, status="done")).total == 1


def test_empty_selection(region: Region) -> None:
    selectors.refresh_report_facts(concurrently=False)
    stats = selectors.statistics(filters_for(region))
    assert stats.total == 0
    assert stats.overdue_share is None
    assert stats.durations.ack_median is None
    bins = json.loads(density.density_bins(filters_for(region), bbox=None, size_m=100))
    assert bins["features"] == [] and bins["total"] == 0


def test_statistics_are_cached_until_the_next_refresh(
    populated: Region, django_assert_num_queries: Any
) -> None:
    filters = filters_for(populated)
    assert selectors.statistics(filters).total == 12
    with django_assert_num_queries(0):
        assert selectors.statistics(filters).total == 12
    populated.report(populated.nord, 10.1, 53.3)
    # still the view's old contents: nothing to recompute
    assert selectors.statistics(filters).total == 12
    selectors.refresh_report_facts(concurrently=False)
    assert selectors.statistics(filters).total == 13
