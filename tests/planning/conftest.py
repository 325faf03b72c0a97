"""A small region for the planning tests: a Landkreis with two Gemeinden, reports at known
places and times, and people with different roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.gis.geos import LineString, Point

from accounts.models import Role, User
from boundaries.models import Authority, Level
from planning.selectors import refresh_report_facts
from tests.factories import (
    CategoryFactory,
    ReportEventFactory,
    ReportFactory,
    RoadFactory,
    UserFactory,
    box,
    staff,
    territory,
)
from tracker.models import Category, Report, Status

UTC = dt.UTC
BASE = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Region:
    kreis: Authority
    nord: Authority
    sued: Authority
    pothole: Category
    light: Category
    kreis_planner: User
    nord_planner: User
    sued_planner: User
    crew: User
    citizen: User
    reports: dict[str, list[Report]] = field(default_factory=dict)

    def report(self, authority: Authority, lon: float, lat: float, **fields: Any) -> Report:
        fields.setdefault("category", self.pothole)
        report = ReportFactory.create(
            authority=authority, location=Point(lon, lat, srid=4326), **fields
        )
        self.reports.setdefault(authority.slug, []).append(report)
        return report


@pytest.fixture
def region(db: Any) -> Region:
    kreis = territory("Landkreis Testland", Level.KREIS, box(9.9, 53.1, 10.3, 53.4), slug="kreis")
    nord = territory(
        "Gemeinde Nord", Level.GEMEINDE, box(9.9, 53.25, 10.3, 53.4), slug="nord", parent=kreis
    )
    sued = territory(
        "Gemeinde Süd", Level.GEMEINDE, box(9.9, 53.1, 10.3, 53.25), slug="sued", parent=kreis
    )
    pothole = CategoryFactory.create(slug="schlagloch", name="Schlagloch")
    light = CategoryFactory.create(slug="laterne", name="Straßenlaterne defekt")
    return Region(
        kreis=kreis,
        nord=nord,
        sued=sued,
        pothole=pothole,
        light=light,
        kreis_planner=staff(kreis, Role.PLANNER, email="planung@kreis.example"),
        nord_planner=staff(nord, Role.PLANNER, email="planung@nord.example"),
        sued_planner=staff(sued, Role.PLANNER, email="planung@sued.example"),
        crew=staff(nord, Role.CREW, email="kolonne@nord.example"),
        citizen=UserFactory.create(email="buerger@example.org"),
    )


@pytest.fixture
def populated(region: Region) -> Region:
    """Nord: a cluster of 6 potholes at one spot, 2 lights elsewhere, reports on a K road;
    Süd: 3 reports; Kreis: 1 report. With history for the time statistics."""
    road = RoadFactory.create(
        geom=LineString((10.1, 53.3), (10.1, 53.309), srid=4326),  # ~1 km north-south
        ref="K 12",
        road_class="K",
        owner=region.kreis,
    )
    for i in range(6):
        region.report(
            region.nord,
            10.1 + i * 0.00005,
            53.3 + i * 0.00003,
            road=road,
            created_at=BASE + dt.timedelta(days=i),
        )
    region.report(region.nord, 10.2, 53.35, category=region.light, created_at=BASE)
    region.report(
        region.nord,
        10.21,
        53.36,
        category=region.light,
        created_at=BASE + dt.timedelta(days=40),
        status=Status.DONE,
    )
    for i in range(3):
        region.report(region.sued, 10.0 + i * 0.01, 53.15, created_at=BASE)
    region.report(region.kreis, 10.25, 53.2, created_at=BASE)
    refresh_report_facts(concurrently=False)
    return region


def status_change(report: Report, from_status: str, to_status: str, hours: float) -> None:
    ReportEventFactory.create(
        report=report,
        from_status=from_status,
        to_status=to_status,
        created_at=report.created_at + dt.timedelta(hours=hours),
    )
