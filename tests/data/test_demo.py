"""The demo region: idempotent loading, dry run, exact tiling, and routing on its data."""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from boundaries.models import Authority, BoundarySet, Level
from boundaries.services import OutsideServiceArea, Reason, route
from boundaries.sets import activate_set
from data import demo_spec as spec
from data.demo import SetState, demo_assets, demo_roads, demo_territories, load_demo
from geo.models import Asset, AssetType, RoadClass, RoadSegment
from tracker.inspections.models import InspectionPlan
from tracker.models import Category, Team

pytestmark = pytest.mark.django_db

# Rows the demo may touch live in these apps (including the Team-Category through table).
DEMO_APPS = ("boundaries", "geo", "tracker", "inspections")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in DEMO_APPS
    }


def authority(slug: str) -> Authority:
    return Authority.objects.get(slug=slug)


def on_road(external_id: str, fraction: float) -> Point:
    """A point on a demo segment, `fraction` of the way along it."""
    point = RoadSegment.objects.get(external_id=external_id).geom.interpolate_normalized(fraction)
    assert isinstance(point, Point)
    point.srid = 4326
    return point


def beside_asset(asset_type: str, external_id: str, metres: float) -> Point:
    """A point `metres` due east of an asset, computed on the spheroid by PostGIS."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Project(geom::geography, %s, radians(90))"
            "::geometry AS p FROM geo_asset WHERE asset_type = %s AND external_id = %s) q",
            [metres, asset_type, external_id],
        )
        lon, lat = cursor.fetchone()
    return Point(lon, lat, srid=4326)


@pytest.fixture
def demo() -> None:
    load_demo(commit=True)


# --------------------------------------------------------------------------- loading


def test_loading_twice_changes_nothing_the_second_time() -> None:
    first = load_demo(commit=True)
    assert first.committed and first.changed
    counts = row_counts()
    ids = {
        "roads": sorted(RoadSegment.objects.values_list("pk", flat=True)),
        "assets": sorted(Asset.objects.values_list("pk", flat=True)),
        "authorities": sorted(Authority.objects.values_list("pk", flat=True)),
    }

    second = load_demo(commit=True)

    assert row_counts() == counts
    assert ids["roads"] == sorted(RoadSegment.objects.values_list("pk", flat=True))
    assert ids["assets"] == sorted(Asset.objects.values_list("pk", flat=True))
    assert ids["authorities"] == sorted(Authority.objects.values_list("pk", flat=True))
    assert not second.changed
    for label, tally in second.tallies.items():
        assert (tally.created, tally.updated, tally.deleted) == (0, 0, 0), label
    assert {state for state, _ in second.set_states.values()} == {SetState.ACTIVE}


def test_the_demo_has_the_promised_contents(demo: None) -> None:
    assert Authority.objects.filter(slug__startswith="demo-").count() == 10
    assert Authority.objects.filter(level=Level.GEMEINDE).count() == 6
    assert RoadSegment.objects.filter(ortsdurchfahrt=True).count() >= 3
    assert set(RoadSegment.objects.values_list("ref", flat=True)) >= {
        "B 209",
        "L 216",
        "K 12",
        "K 37",
    }
    streets = RoadSegment.objects.filter(road_class=RoadClass.GEMEINDESTRASSE)
    assert streets.values("owner").distinct().count() == 6  # streets in every Gemeinde
    assert Asset.objects.filter(asset_type=AssetType.STREETLIGHT).count() >= 36
    assert Asset.objects.filter(asset_type=AssetType.PLAYGROUND).count() == 6
    assert Category.objects.count() >= 10
    assert Team.objects.get(name="Straßenmeisterei Heideland (Demo)").categories.count() >= 5


def test_the_demo_has_an_inspection_plan_a_finished_round_and_a_due_one(demo: None) -> None:
    from tracker.inspections.models import InspectionRound
    from tracker.inspections.selectors import route_due

    plans = {p.road_class: p for p in InspectionPlan.objects.all()}
    assert set(plans) == {RoadClass.KREISSTRASSE, RoadClass.LANDESSTRASSE}
    kreis = plans[RoadClass.KREISSTRASSE]
    assert kreis.interval_days == 14 and kreis.team is not None
    done = InspectionRound.objects.get(plan=kreis)
    assert done.state == InspectionRound.State.FINISHED
    kreis_route = route_due(kreis)
    assert kreis_route.segments and all(s.last_inspected for s in kreis_route.segments)
    land_route = route_due(plans[RoadClass.LANDESSTRASSE])
    assert land_route.segments and land_route.state == "overdue"
    assert not land_route.plan.rounds.exists()


def test_dry_run_writes_nothing_but_reports_what_it_would_create() -> None:
    before = row_counts()
    summary = load_demo(commit=False)
    assert row_counts() == before
    assert not summary.committed
    assert summary.tallies["authorities"].created == 10
    assert summary.tallies["road segments"].created == len(demo_roads())
    assert summary.tallies["assets"].created == len(demo_assets())
    assert summary.set_states["demo-gemeinde"][0] == SetState.ACTIVATED


def test_command_is_a_dry_run_without_commit() -> None:
    before = row_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "DRY RUN" in text
    assert "would create 10" in text
    assert "demo-gemeinde" in text and "would be activated" in text
    assert row_counts() == before

    call_command("load_demo", "--commit", stdout=StringIO())
    assert Authority.objects.filter(slug__startswith="demo-").count() == 10
    out = StringIO()
    call_command("load_demo", "--commit", stdout=out)
    assert "up to date, nothing written" in out.getvalue()


def test_a_changed_row_is_put_back(demo: None) -> None:
    road = RoadSegment.objects.get(external_id="DEMO-K12-02")
    geom = road.geom.clone()
    road.geom = RoadSegment.objects.get(external_id="DEMO-K37-02").geom
    road.owner = None
    road.save()
    Authority.objects.filter(slug=spec.KREIS).update(email="changed@example.org")

    summary = load_demo(commit=True)

    road.refresh_from_db()
    assert road.geom.equals_exact(geom, 1e-9)
    assert road.owner == authority(spec.KREIS)
    assert authority(spec.KREIS).email == "maengelmelder@landkreis-heideland.example.org"
    assert summary.tallies["road segments"].updated == 1
    assert summary.tallies["authorities"].updated == 1


def test_an_active_set_someone_imported_is_not_replaced() -> None:
    real = BoundarySet.objects.create(name="vg250-gemeinden", level=Level.GEMEINDE)
    activate_set(real)

    summary = load_demo(commit=True)

    real.refresh_from_db()
    assert real.is_active
    assert not BoundarySet.objects.get(name="demo-gemeinde").is_active
    assert summary.set_states["demo-gemeinde"] == (SetState.SHADOWED, "vg250-gemeinden")
    assert BoundarySet.objects.get(name="demo-kreis").is_active
    assert any("'vg250-gemeinden' is active" in line for line in summary.lines())


def test_demo_roads_and_assets_are_withdrawn_while_real_boundaries_are_active(
    demo: None,
) -> None:
    assert RoadSegment.objects.exists() and Asset.objects.exists()
    real = BoundarySet.objects.create(name="vg250-kreise", level=Level.KREIS)
    activate_set(real)  # an import takes over the Kreis level, demo-kreis is deactivated

    summary = load_demo(commit=True)

    assert not summary.is_live
    assert not RoadSegment.objects.exists()
    assert not Asset.objects.exists()
    assert summary.tallies["road segments"].deleted == len(demo_roads())
    assert any("withdrawn" in line for line in summary.lines())
    # Authorities, boundaries and categories stay; the next load with the demo live restores all.
    real.is_active = False
    real.save()
    activate_set(BoundarySet.objects.get(name="demo-kreis"))
    assert load_demo(commit=True).tallies["assets"].created == len(demo_assets())


def test_existing_categories_are_kept_unless_overwrite_is_asked_for() -> None:
    Category.objects.create(slug="schlagloch", name="Schlagloch", snap_tolerance_m=10)

    summary = load_demo(commit=True)
    assert Category.objects.get(slug="schlagloch").snap_tolerance_m == 10
    assert summary.categories_kept == ["schlagloch"]

    load_demo(commit=True, overwrite_categories=True)
    assert Category.objects.get(slug="schlagloch").snap_tolerance_m == 25


def test_generation_is_deterministic() -> None:
    first, second = demo_territories(), demo_territories()
    assert all(first[slug].equals_exact(second[slug], 0) for slug in first)
    assert demo_roads() == demo_roads()
    assert demo_assets() == demo_assets()


# --------------------------------------------------------------------------- geometry


# Every demo boundary with its authority's slug and its set's name. A temporary view, so the
# checks below stay plain SQL literals; it disappears with the test's transaction.
_DEMO_VIEW_SQL = """
    CREATE OR REPLACE TEMP VIEW demo AS
    SELECT b.geom, a.slug, s.name AS set_name
    FROM boundaries_boundary b
    JOIN boundaries_boundaryset s ON s.id = b.boundary_set_id
    JOIN boundaries_authority a ON a.id = b.authority_id
    WHERE s.name LIKE 'demo-%'
"""

_TILING_SQL = """
    SELECT
        (SELECT ST_Area(geom::geography) FROM demo WHERE set_name = 'demo-kreis'),
        (SELECT ST_Area(ST_Union(geom)::geography) FROM demo WHERE set_name = 'demo-gemeinde'),
        (SELECT ST_Area(ST_SymDifference(k.geom, u.geom)::geography)
         FROM demo k, (SELECT ST_Union(geom) AS geom FROM demo WHERE set_name = 'demo-gemeinde') u
         WHERE k.set_name = 'demo-kreis'),
        (SELECT COALESCE(SUM(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
         FROM demo a JOIN demo b ON a.set_name = b.set_name AND a.slug < b.slug
         WHERE a.set_name = 'demo-gemeinde' AND ST_Intersects(a.geom, b.geom)),
        (SELECT COUNT(*) FROM demo WHERE set_name = 'demo-gemeinde')
"""

_SAMTGEMEINDE_SQL = """
    SELECT ST_Area(ST_SymDifference(s.geom, m.geom)::geography)
    FROM demo s,
         (SELECT ST_Union(geom) AS geom FROM demo
          WHERE set_name = 'demo-gemeinde' AND slug = ANY(%s)) m
    WHERE s.set_name = 'demo-samtgemeinde'
"""

_ROADS_OUTSIDE_SQL = """
    SELECT COUNT(*) FROM geo_roadsegment r, demo k
    WHERE k.set_name = 'demo-kreis' AND NOT ST_CoveredBy(r.geom, k.geom)
"""


@pytest.fixture
def demo_view(demo: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_DEMO_VIEW_SQL)


def fetch_row(sql: str, params: Sequence[Any] = ()) -> tuple[float, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(float(value) for value in cursor.fetchone())


def test_gemeinden_tile_the_kreis_exactly(demo_view: None) -> None:
    kreis_area, union_area, gap_or_spill, overlap, gemeinden = fetch_row(_TILING_SQL)
    assert gemeinden == 6
    assert 400e6 < kreis_area < 700e6  # a plausible Landkreis: 400-700 km²
    assert union_area == pytest.approx(kreis_area, abs=1.0)  # within 1 m² of ~537 km²
    assert gap_or_spill < 1.0  # no gaps, nothing outside the Kreis
    assert overlap < 1.0  # pairwise overlaps of the Gemeinden, summed


def test_samtgemeinde_is_the_union_of_its_members(demo_view: None) -> None:
    members = [spec.AUEDORF, spec.LINDENHOF, spec.WIESENTAL]
    (difference,) = fetch_row(_SAMTGEMEINDE_SQL, [members])
    assert difference < 1.0
    samtgemeinde = authority(spec.SAMTGEMEINDE)
    for slug in members:
        member = authority(slug)
        assert member.delegates_to == samtgemeinde
        assert member.parent == samtgemeinde
    assert samtgemeinde.parent == authority(spec.KREIS)
    assert authority(spec.KREIS).parent == authority(spec.LAND)
    assert authority(spec.STADT).handles_ortsdurchfahrten


def test_geometry_is_valid_and_in_the_lueneburger_heide(demo_view: None) -> None:
    (invalid,) = fetch_row("SELECT COUNT(*) FROM boundaries_boundary WHERE NOT ST_IsValid(geom)")
    assert invalid == 0
    min_lon, min_lat, max_lon, max_lat = fetch_row(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
        "FROM (SELECT ST_Extent(geom) AS e FROM boundaries_boundary) q"
    )
    assert 9.9 <= min_lon < max_lon <= 10.3
    assert 53.15 <= min_lat < max_lat <= 53.40
    (outside,) = fetch_row(_ROADS_OUTSIDE_SQL)
    assert outside == 0


def test_codes_and_names_are_fictional(demo: None) -> None:
    for row in Authority.objects.filter(slug__startswith="demo-"):
        assert "(Demo)" in row.name
        assert row.ags == "" or row.ags.startswith("99")
        assert row.ars == "" or (len(row.ars) == 12 and row.ars.startswith("99"))
        assert row.email.endswith((".example.org", ".invalid"))


# --------------------------------------------------------------------------- routing


@pytest.fixture
def pothole(demo: None) -> Category:
    return Category.objects.get(slug="schlagloch")


@pytest.mark.parametrize(
    ("external_id", "fraction", "owner"),
    [
        ("DEMO-K12-02", 0.5, spec.KREIS),  # rural Kreisstraße, even inside the Stadt's territory
        ("DEMO-HS-02", 0.25, spec.STADT),  # Kirchstraße in Heidestadt
        ("DEMO-B209-03", 0.5, spec.ROAD_OPERATOR),  # Bundesstraße between the towns
        ("DEMO-B209-02", 0.25, spec.STADT),  # Ortsdurchfahrt in the large town
        ("DEMO-B209-04", 0.25, spec.ROAD_OPERATOR),  # Ortsdurchfahrt in a small Gemeinde
        ("DEMO-L216-03", 0.5, spec.ROAD_OPERATOR),
        ("DEMO-K37-01", 0.25, spec.STADT),  # Kreisstraße Ortsdurchfahrt in the Stadt
        ("DEMO-K37-03", 0.25, spec.KREIS),  # Kreisstraße Ortsdurchfahrt in a small Gemeinde
    ],
)
def test_pothole_goes_to_the_road_owner(
    pothole: Category, external_id: str, fraction: float, owner: str
) -> None:
    decision = route(on_road(external_id, fraction), pothole)
    assert decision.reason == Reason.ROAD_OWNER
    assert decision.road is not None
    assert RoadSegment.objects.get(pk=decision.road.id).external_id == external_id
    assert decision.authority == authority(owner)


def test_pothole_on_a_street_of_a_samtgemeinde_member_goes_to_the_samtgemeinde(
    pothole: Category,
) -> None:
    street = RoadSegment.objects.get(external_id="DEMO-AD-01")
    assert street.owner == authority(spec.AUEDORF)  # the member carries the Baulast …
    decision = route(on_road("DEMO-AD-01", 0.25), pothole)
    assert decision.authority == authority(spec.SAMTGEMEINDE)  # … its Samtgemeinde does the work
    assert "Gemeinde Auedorf (Demo)" in decision.detail


@pytest.mark.parametrize(
    ("external_id", "owner"),
    [("HS-L-0005", spec.STADT), ("AD-L-0003", spec.SAMTGEMEINDE), ("BH-L-0001", spec.BIRKENHAIN)],
)
def test_streetlight_report_goes_to_the_lights_owner(
    demo: None, external_id: str, owner: str
) -> None:
    category = Category.objects.get(slug="strassenbeleuchtung")
    decision = route(beside_asset(AssetType.STREETLIGHT, external_id, 3.0), category)
    assert decision.reason == Reason.ASSET_OWNER
    assert decision.asset is not None and decision.asset.external_id == external_id
    assert decision.distance_m == pytest.approx(3.0, abs=0.1)
    assert decision.authority == authority(owner)


def test_signs_along_kreisstrassen_belong_to_the_kreis(demo: None) -> None:
    signs = Asset.objects.filter(asset_type=AssetType.SIGN)
    assert signs.count() >= 10
    assert set(signs.values_list("owner__slug", flat=True)) == {spec.KREIS}
    category = Category.objects.get(slug="verkehrszeichen")
    decision = route(beside_asset(AssetType.SIGN, "HL-VZ-0001", 2.0), category)
    assert decision.reason == Reason.ASSET_OWNER
    assert decision.authority == authority(spec.KREIS)


def test_wilder_muell_goes_to_the_landkreis_everywhere(demo: None) -> None:
    category = Category.objects.get(slug="wilder-muell")
    kreis = authority(spec.KREIS)
    places = [
        on_road("DEMO-HS-01", 0.5),  # in the Stadt
        on_road("DEMO-AD-02", 0.25),  # in a Samtgemeinde member
        on_road("DEMO-B209-03", 0.5),  # on a Bundesstraße
        on_road("DEMO-BH-03", 0.25),  # in a verbandsfreie Gemeinde
    ]
    for place in places:
        decision = route(place, category)
        assert decision.authority == kreis
        assert decision.reason == Reason.BOUNDARY


def test_outside_the_kreis_is_outside_the_service_area(pothole: Category) -> None:
    wilder_muell = Category.objects.get(slug="wilder-muell")
    just_west = Point(9.90, 53.27, srid=4326)  # real Heide, about 1.5 km west of the Kreis
    far_away = Point(10.6, 53.3, srid=4326)
    for place in (just_west, far_away):
        for category in (pothole, wilder_muell):
            with pytest.raises(OutsideServiceArea):
                route(place, category)


def test_the_demo_has_retention_periods(demo: None) -> None:
    from privacy.models import RetentionPolicy
    from privacy.retention import period_for

    assert RetentionPolicy.objects.filter(authority__isnull=True).count() == 5
    stadt = Authority.objects.get(slug="demo-stadt-heidestadt")
    assert period_for("report_contact", stadt.pk) == 3
    assert period_for("report_contact", None) == 6
