"""Routing against real boundaries: BKG VG250 Gemeinden of Lower Saxony, the derived Kreise and
Samtgemeinden, Destatis reference points and an OSM road sample (../shared/geodata)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from boundaries.models import Authority, BoundarySet, Level
from boundaries.services import Reason, route, route_many
from geo.models import RoadSegment
from tests.factories import CategoryFactory
from tests.geodata import real

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

TARGET_KREISE = ("03353", "03355", "03358")  # Harburg, Lüneburg, Heidekreis


def _import(command: str, path: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, str(real(path)), *args, "--commit", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def lower_saxony(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict]:
    """Kreise, NI Gemeinden and NI Samtgemeinden imported once for the module (committed, and
    removed again afterwards)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        outputs = {
            "kreise": _import(
                "import_boundaries",
                "kreise/vg250ew_kreise_derived_01-02-03-04-06-08-13.geojson",
                "--level",
                "kreis",
            ),
            "samtgemeinden": _import(
                "import_boundaries",
                "verwaltungsgemeinschaften/vg250ew_samtgemeinden_ni_derived.geojson",
                "--level",
                "samtgemeinde",
                "--code-field",
                "vb_ars",
                "--name-field",
                "vb_name",
                "--where",
                "vb_type=Samtgemeinde",
                "--parent-level",
                "kreis",
            ),
            "gemeinden": _import(
                "import_boundaries",
                "gemeinden/vg250ew_gemeinden_03_niedersachsen.geojson",
                "--level",
                "gemeinde",
                "--parent-level",
                "kreis",
            ),
        }
        yield outputs
        RoadSegment.objects.all().delete()
        BoundarySet.objects.all().delete()
        Authority.objects.all().delete()


def test_import_summary_of_lower_saxony(lower_saxony: dict) -> None:
    output = lower_saxony["gemeinden"]
    assert "features read:            990" in output
    assert "territories (by code):    964" in output
    assert "duplicates merged:        26" in output
    assert "parents: 964 by code" in output
    assert "parents: 114 by code" in lower_saxony["samtgemeinden"]
    harburg = Authority.objects.get(level=Level.KREIS, ags="03353")
    assert harburg.children.filter(level=Level.GEMEINDE).count() == 42


def test_reimport_changes_nothing(lower_saxony: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), sum(ST_NPoints(geom)) FROM boundaries_boundarypiece")
        before = cursor.fetchone()
    output = _import(
        "import_boundaries",
        "gemeinden/vg250ew_gemeinden_03_niedersachsen.geojson",
        "--level",
        "gemeinde",
    )
    assert "authorities unchanged:    964" in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), sum(ST_NPoints(geom)) FROM boundaries_boundarypiece")
        assert cursor.fetchone() == before


def test_every_destatis_reference_point_routes_to_its_own_gemeinde(lower_saxony: dict) -> None:
    with real("points/destatis_gv_31122021_gemeinden_mittelpunkte.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["land_code"] == "03" and r["lon"]]
    assert len(rows) == 964
    ags_by_id = dict(Authority.objects.filter(level=Level.GEMEINDE).values_list("id", "ags"))
    # route_many applies delegation; the Gemeinden here delegate nothing, so ids are their own.
    routed = route_many(
        [float(r["lon"]) for r in rows], [float(r["lat"]) for r in rows], "gemeinde"
    )
    wrong = [
        r["ags"]
        for r, got in zip(rows, routed, strict=True)
        if got is None or ags_by_id.get(got) != r["ags"]
    ]
    assert wrong == []


def test_no_point_gets_two_gemeinden_and_none_gets_none(lower_saxony: dict) -> None:
    """Random points over the three target Kreise, and points exactly on Gemeinde borders."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH area AS (
                SELECT ST_Union(b.geom) AS geom FROM boundaries_boundary b
                JOIN boundaries_authority a ON a.id = b.authority_id
                WHERE a.level = 'kreis' AND a.ags = ANY(%s)
            ), random AS (
                SELECT (ST_Dump(ST_GeneratePoints(geom, 3000, 1))).geom AS pt FROM area
            ), borders AS (
                -- vertices of shared Gemeinde borders: exactly on two polygons
                SELECT (ST_DumpPoints(ST_Intersection(ST_Boundary(x.geom), ST_Boundary(y.geom))))
                       .geom AS pt
                FROM boundaries_boundary x
                JOIN boundaries_authority ax ON ax.id = x.authority_id
                JOIN boundaries_boundary y ON y.boundary_set_id = x.boundary_set_id
                     AND y.id > x.id AND ST_Intersects(x.geom, y.geom)
                JOIN boundaries_authority ay ON ay.id = y.authority_id
                WHERE ax.level = 'gemeinde' AND left(ax.ags, 5) = '03353'
                  AND left(ay.ags, 5) = '03353'
            )
            SELECT ST_X(pt), ST_Y(pt) FROM random
            UNION ALL (SELECT ST_X(pt), ST_Y(pt) FROM borders LIMIT 2000)
            """,
            [list(TARGET_KREISE)],
        )
        points = cursor.fetchall()
    assert len(points) > 4000
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    first = route_many(lons, lats, "gemeinde")
    assert None not in first
    # stable: the same point always gets the same Gemeinde (lowest id wins on a border)
    assert route_many(lons, lats, "gemeinde") == first
    category = CategoryFactory.create(level=Level.GEMEINDE)
    for lon, lat, expected in list(zip(lons, lats, first, strict=True))[-50:]:
        assert route(Point(lon, lat, srid=4326), category).authority.pk == expected


def test_samtgemeinde_members_found_by_containment(lower_saxony: dict) -> None:
    hollenstedt = Authority.objects.get(level=Level.SAMTGEMEINDE, name__contains="Hollenstedt")
    assert hollenstedt.parent is not None
    assert hollenstedt.parent.ags == "03353"
    category = CategoryFactory.create(level=Level.SAMTGEMEINDE)
    # the Destatis reference point of Gemeinde Hollenstedt (03353019)
    decision = route(Point(9.715365, 53.36705, srid=4326), category)
    assert decision.authority == hollenstedt


def test_kreisstrasse_and_gemeindestrasse_potholes_go_to_different_owners(
    lower_saxony: dict,
) -> None:
    """Krautsand (Drochtersen, Lk Stade): OSM ways K 19 and Elbstraße."""
    _import("import_roads", "roads/osm_roads_krautsand_lk-stade_graphhopper-testdata.geojson")
    k19 = RoadSegment.objects.get(ref="K 19")
    elbstrasse = RoadSegment.objects.get(name="Elbstraße")
    assert k19.owner is not None
    assert k19.owner.ags == "03359"  # Landkreis Stade
    assert elbstrasse.owner is not None
    assert elbstrasse.owner.ags == "03359013"  # Drochtersen
    pothole = CategoryFactory.create(snap_to_roads=True, snap_tolerance_m=25, level=Level.GEMEINDE)
    on_k19 = route(k19.geom.interpolate_normalized(0.5), pothole)
    on_elbstrasse = route(elbstrasse.geom.interpolate_normalized(0.5), pothole)
    assert on_k19.reason == on_elbstrasse.reason == Reason.ROAD_OWNER
    assert on_k19.authority.ags == "03359"
    assert on_elbstrasse.authority.ags == "03359013"
