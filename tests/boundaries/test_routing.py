"""route(): asset owner → road owner → boundary level, all decided in PostGIS."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon

from boundaries.models import BoundarySet, Level, RoadAuthority
from boundaries.services import OutsideServiceArea, Reason, authorities_at, route, route_many
from boundaries.sets import activate_set, store_boundary
from geo.models import AssetType, RoadClass
from tests.factories import (
    AssetFactory,
    AuthorityFactory,
    CategoryFactory,
    RoadFactory,
    box,
    territory,
)

pytestmark = pytest.mark.django_db

# A Kreis (10.0–10.2 E, 53.0–53.1 N) split into two Gemeinden at 10.1 E; the western one is a
# member of a Samtgemeinde that handles its tasks.
W, MID, E, S, N = 10.0, 10.1, 10.2, 53.0, 53.1


@pytest.fixture
def region() -> dict:
    land = territory("Land", Level.LAND, box(9.0, 52.0, 11.0, 54.0), ags="99")
    kreis = territory("Landkreis Test", Level.KREIS, box(W, S, E, N), ags="99001", parent=land)
    samtgemeinde = territory(
        "Samtgemeinde West", Level.SAMTGEMEINDE, box(W, S, MID, N), parent=kreis
    )
    west = territory(
        "Gemeinde West",
        Level.GEMEINDE,
        box(W, S, MID, N),
        ags="99001001",
        parent=samtgemeinde,
        delegates_to=samtgemeinde,
    )
    east = territory(
        "Stadt Ost",
        Level.GEMEINDE,
        box(MID, S, E, N),
        ags="99001002",
        parent=kreis,
        handles_ortsdurchfahrten=True,
    )
    road_authority = AuthorityFactory.create(name="Landesstraßenbau", level=Level.OPERATOR)
    for road_class in "BL":
        RoadAuthority.objects.create(
            road_class=road_class, territory=land, authority=road_authority
        )
    return {
        "land": land,
        "kreis": kreis,
        "samtgemeinde": samtgemeinde,
        "west": west,
        "east": east,
        "road_authority": road_authority,
    }


def test_interior_points_route_to_their_gemeinde(region: dict) -> None:
    category = CategoryFactory.create(level=Level.GEMEINDE)
    decision = route(Point(10.15, 53.05, srid=4326), category)
    assert decision.authority == region["east"]
    assert decision.reason == Reason.BOUNDARY


def test_member_gemeinde_delegates_to_its_samtgemeinde(region: dict) -> None:
    category = CategoryFactory.create(level=Level.GEMEINDE)
    decision = route(Point(10.05, 53.05, srid=4326), category)
    assert decision.authority == region["samtgemeinde"]
    assert "Gemeinde West" in decision.detail


def test_kreis_level_category_goes_to_the_kreis(region: dict) -> None:
    category = CategoryFactory.create(level=Level.KREIS, slug="wilder-muell")
    for lon in (10.05, 10.15):
        assert route(Point(lon, 53.05, srid=4326), category).authority == region["kreis"]


def test_point_on_the_shared_border_gets_exactly_one_gemeinde_stably(region: dict) -> None:
    on_border = Point(MID, 53.05, srid=4326)
    first = [a for a in authorities_at(on_border) if a.level == Level.GEMEINDE]
    assert len(first) == 1
    for _ in range(5):
        again = [a for a in authorities_at(on_border) if a.level == Level.GEMEINDE]
        assert again == first
    # and a corner of the Kreis (covers, not contains) is still inside
    assert {a.level for a in authorities_at(Point(W, S, srid=4326))} >= {"kreis", "gemeinde"}


def test_outside_every_boundary_is_rejected_with_a_message(region: dict) -> None:
    category = CategoryFactory.create()
    with pytest.raises(OutsideServiceArea, match="außerhalb"):
        route(Point(10.5, 53.05, srid=4326), category)  # in the Land, but no Kreis/Gemeinde
    with pytest.raises(OutsideServiceArea):
        route(Point(2.35, 48.85, srid=4326), category)  # Paris


def test_kreisstrasse_and_gemeindestrasse_potholes_go_to_different_owners(region: dict) -> None:
    pothole = CategoryFactory.create(snap_to_roads=True, snap_tolerance_m=20, level=Level.GEMEINDE)
    RoadFactory.create(
        geom=LineString((10.11, 53.05), (10.19, 53.05)),
        road_class=RoadClass.KREISSTRASSE,
        ref="K 12",
    )
    RoadFactory.create(
        geom=LineString((10.11, 53.07), (10.19, 53.07)),
        road_class=RoadClass.GEMEINDESTRASSE,
        name="Lindenweg",
    )
    # ~11 m north of the K 12 (0.0001° lat ≈ 11 m)
    on_k12 = route(Point(10.15, 53.0501, srid=4326), pothole)
    assert on_k12.authority == region["kreis"]
    assert on_k12.reason == Reason.ROAD_OWNER
    assert "K 12" in on_k12.detail
    # geodesic distance: the great circle between the road's ends bulges slightly north
    assert on_k12.distance_m == pytest.approx(10.8, abs=0.8)
    on_g = route(Point(10.15, 53.0701, srid=4326), pothole)
    assert on_g.authority == region["east"]
    assert on_g.reason == Reason.ROAD_OWNER


def test_tolerance_is_metres_not_degrees(region: dict) -> None:
    pothole = CategoryFactory.create(snap_to_roads=True, snap_tolerance_m=20, level=Level.GEMEINDE)
    RoadFactory.create(
        geom=LineString((10.11, 53.05), (10.19, 53.05)), road_class=RoadClass.KREISSTRASSE
    )
    # 0.0003° lat ≈ 33 m: outside a 20 m tolerance, so the boundary decides (Stadt Ost)
    decision = route(Point(10.15, 53.0503, srid=4326), pothole)
    assert decision.reason == Reason.BOUNDARY
    assert decision.authority == region["east"]


def test_bundesstrasse_goes_to_the_configured_road_authority_except_in_ortsdurchfahrt(
    region: dict,
) -> None:
    pothole = CategoryFactory.create(snap_to_roads=True, snap_tolerance_m=20)
    RoadFactory.create(
        geom=LineString((10.01, 53.02), (10.09, 53.02)),
        road_class=RoadClass.BUNDESSTRASSE,
        ref="B 209",
    )
    RoadFactory.create(
        geom=LineString((10.11, 53.02), (10.19, 53.02)),
        road_class=RoadClass.BUNDESSTRASSE,
        ref="B 209",
        ortsdurchfahrt=True,
    )
    outside_town = route(Point(10.05, 53.02, srid=4326), pothole)
    assert outside_town.authority == region["road_authority"]
    through_town = route(Point(10.15, 53.02, srid=4326), pothole)
    assert through_town.authority == region["east"]
    assert "Ortsdurchfahrt" in through_town.detail


def test_stored_road_owner_wins_over_the_class_rules(region: dict) -> None:
    pothole = CategoryFactory.create(snap_to_roads=True, snap_tolerance_m=20)
    RoadFactory.create(
        geom=LineString((10.11, 53.05), (10.19, 53.05)),
        road_class=RoadClass.KREISSTRASSE,
        owner=region["road_authority"],
    )
    assert route(Point(10.15, 53.05, srid=4326), pothole).authority == region["road_authority"]


def test_road_class_filter_of_a_category(region: dict) -> None:
    traffic_light = CategoryFactory.create(
        snap_to_roads=True, road_classes="BLK", snap_tolerance_m=20
    )
    RoadFactory.create(
        geom=LineString((10.11, 53.05), (10.19, 53.05)), road_class=RoadClass.GEMEINDESTRASSE
    )
    decision = route(Point(10.15, 53.05, srid=4326), traffic_light)
    assert decision.reason == Reason.BOUNDARY


def test_asset_attached_report_goes_to_the_asset_owner(region: dict) -> None:
    utility = AuthorityFactory.create(name="Stadtwerke", level=Level.OPERATOR)
    streetlight = CategoryFactory.create(asset_type=AssetType.STREETLIGHT, snap_tolerance_m=15)
    AssetFactory.create(geom=Point(10.15, 53.05, srid=4326), owner=utility, external_id="L-42")
    near = route(Point(10.1501, 53.05, srid=4326), streetlight)  # ~6.7 m east
    assert near.authority == utility
    assert near.reason == Reason.ASSET_OWNER
    assert near.asset is not None and near.asset.external_id == "L-42"
    far = route(Point(10.16, 53.05, srid=4326), streetlight)  # ~670 m away
    assert far.authority == region["east"]
    assert far.reason == Reason.BOUNDARY


def test_fixed_authority_category(region: dict) -> None:
    utility = AuthorityFactory.create(name="Wasserverband", level=Level.OPERATOR)
    category = CategoryFactory.create(fixed_authority=utility)
    assert route(Point(10.15, 53.05, srid=4326), category).authority == utility
    with pytest.raises(OutsideServiceArea):
        route(Point(12.0, 53.05, srid=4326), category)


def test_missing_samtgemeinde_level_falls_back_to_the_gemeinde(region: dict) -> None:
    category = CategoryFactory.create(level=Level.SAMTGEMEINDE)
    # Stadt Ost belongs to no Samtgemeinde: it does those tasks itself
    assert route(Point(10.15, 53.05, srid=4326), category).authority == region["east"]


def test_route_many_matches_route_and_marks_outside_points(region: dict) -> None:
    ids = route_many([10.05, 10.15, 12.0], [53.05, 53.05, 53.05], Level.GEMEINDE)
    assert ids == [region["samtgemeinde"].pk, region["east"].pk, None]


def test_activating_a_new_set_changes_routing_but_keeps_the_old_set(region: dict) -> None:
    category = CategoryFactory.create(level=Level.GEMEINDE)
    old_set = BoundarySet.objects.get(level=Level.GEMEINDE, is_active=True)
    new_set = BoundarySet.objects.create(name="gemeinde-2026", level=Level.GEMEINDE)
    # In the new set Stadt Ost has absorbed the western Gemeinde
    store_boundary(new_set, region["east"], box(W, S, E, N))
    assert route(Point(10.05, 53.05, srid=4326), category).authority == region["samtgemeinde"]
    activate_set(new_set)
    assert route(Point(10.05, 53.05, srid=4326), category).authority == region["east"]
    old_set.refresh_from_db()
    assert not old_set.is_active and old_set.boundaries.count() == 2


def test_invalid_geometry_is_repaired_on_the_way_in() -> None:
    bow_tie = MultiPolygon(
        Polygon(((10.0, 53.0), (10.1, 53.1), (10.1, 53.0), (10.0, 53.1), (10.0, 53.0))),
        srid=4326,
    )
    assert not bow_tie.valid
    gemeinde = AuthorityFactory.create(level=Level.GEMEINDE)
    boundary_set = BoundarySet.objects.create(name="repair", level=Level.GEMEINDE)
    boundary, repaired = store_boundary(boundary_set, gemeinde, bow_tie)
    assert repaired
    assert boundary.geom.valid
    assert boundary.geom.area > 0
