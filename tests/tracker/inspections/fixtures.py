"""A Kreis with three Kreisstraße segments in a row (west to east along 53.05° N), a plan
for them (every 14 days, Straßenmeisterei Nord) and helpers to drive along them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.gis.geos import LineString
from django.utils import timezone

from geo.models import RoadClass, RoadSegment
from tests.factories import RoadFactory
from tests.tracker.staff.fixtures import World, make_world
from tracker.inspections.models import InspectionPlan
from tracker.inspections.services import Fix

LAT = 53.05
# Segment i runs from lon 10.05 + 0.01 i to 10.06 + 0.01 i (about 670 m each).
STARTS = (10.05, 10.06, 10.07)


@dataclass
class Roads:
    world: World
    plan: InspectionPlan
    segments: list[RoadSegment]


def make_roads(interval_days: int = 14) -> Roads:
    world = make_world()
    segments = [
        RoadFactory.create(
            geom=LineString((lon, LAT), (lon + 0.01, LAT), srid=4326),
            road_class=RoadClass.KREISSTRASSE,
            ref="K 12",
            name=f"Abschnitt {i + 1}",
            owner=world.kreis,
            external_id=f"k12-{i + 1}",
        )
        for i, lon in enumerate(STARTS)
    ]
    # A Gemeindestraße of the Gemeinde: never part of the Kreis's route.
    RoadFactory.create(owner=world.gemeinde, geom=LineString((10.05, 53.06), (10.06, 53.06)))
    plan = InspectionPlan.objects.create(
        authority=world.kreis,
        road_class=RoadClass.KREISSTRASSE,
        team=world.team,
        name="Kreisstraßen Nord",
        interval_days=interval_days,
        starts_on=timezone.localdate() - timedelta(days=3),
    )
    return Roads(world, plan, segments)


def drive(from_lon: float, to_lon: float, steps: int = 20) -> list[Fix]:
    """GPS fixes every few metres along the road, a little off the centre line."""
    now = timezone.now()
    return [
        Fix(
            from_lon + (to_lon - from_lon) * i / steps,
            LAT + 0.00005,
            now + timedelta(seconds=10 * i),
            8.0,
        )
        for i in range(steps + 1)
    ]
