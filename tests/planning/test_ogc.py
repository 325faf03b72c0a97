"""OGC API – Features: GDAL's OAPIF driver (what QGIS uses) reads the live server; the
parameters of Part 1 Core (bbox, datetime, limit, next links, single items); inspections
only for staff, by session or API token."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.tracker.inspections.fixtures import STARTS, drive, make_roads
from tracker.inspections import services

pytestmark = pytest.mark.django_db(transaction=True)
OGRINFO = shutil.which("ogrinfo")


def _world() -> Any:
    roads = make_roads()
    roads.world.report(description="Schlagloch an der K 12")
    round_ = services.round_start(roads.plan, by=roads.world.crew)
    services.round_add_points(round_, drive(STARTS[0], STARTS[1] + 0.01), by=roads.world.crew)
    services.round_end(round_, by=roads.world.crew)
    return roads


def _ogrinfo(*args: str) -> str:
    assert OGRINFO is not None
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from the test
        [OGRINFO, "-ro", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"GDAL_HTTP_TIMEOUT": "60", "CPL_DEBUG": "OFF", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(OGRINFO is None, reason="ogrinfo (gdal-bin) is not installed")
def test_gdal_reads_the_collections(live_server: Any) -> None:
    roads = _world()
    url = f"OAPIF:{live_server.url}/ogc/"
    listing = _ogrinfo("-so", url)
    for name in ("reports", "roads", "assets", "boundaries"):
        assert name in listing
    assert "inspections" not in listing  # staff only
    road_layer = _ogrinfo("-so", url, "roads")
    assert "Feature Count: 4" in road_layer or "Geometry: Line String" in road_layer
    features = _ogrinfo("-al", "-q", "-spat", "10.045", "53.04", "10.065", "53.055", url, "roads")
    assert features.count("OGRFeature(roads)") == 2  # the segments inside the box
    assert "K 12" in features and "LINESTRING" in features
    reports = _ogrinfo("-al", "-q", url, "reports")
    assert "Schlagloch an der K 12" in reports
    # With the staff API's token, the inspections are there too.
    token = Token.objects.create(user=roads.world.dispatcher)
    staff = subprocess.run(  # noqa: S603
        [str(OGRINFO), "-ro", "-al", "-q", url, "inspections"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"GDAL_HTTP_HEADERS": f"Authorization: Token {token.key}", "PATH": "/usr/bin:/bin"},
    )
    assert staff.returncode == 0, staff.stderr
    assert staff.stdout.count("OGRFeature(inspections)") == 2
    assert "kolonne@example.org" in staff.stdout


def test_core_parameters_and_links() -> None:
    roads = _world()
    client = Client()
    landing = client.get("/ogc/").json()
    assert {link["rel"] for link in landing["links"]} >= {"self", "conformance", "data"}
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert conformance[0].endswith("/conf/core")
    first = client.get("/ogc/collections/roads/items", {"limit": 2})
    assert first["Content-Type"] == "application/geo+json"
    page = first.json()
    assert page["numberReturned"] == 2
    next_link = next(link["href"] for link in page["links"] if link["rel"] == "next")
    rest = client.get(next_link.replace("http://testserver", "")).json()
    assert rest["numberReturned"] == 2
    assert not any(link["rel"] == "next" for link in rest["links"])
    ids = [f["id"] for f in page["features"] + rest["features"]]
    assert len(set(ids)) == 4
    one = client.get(f"/ogc/collections/roads/items/{roads.segments[0].pk}").json()
    assert one["properties"]["ref"] == "K 12" and one["geometry"]["type"] == "LineString"
    boxed = client.get("/ogc/collections/roads/items", {"bbox": "10.045,53.04,10.065,53.055"})
    assert boxed.json()["numberReturned"] == 2
    later = client.get("/ogc/collections/reports/items", {"datetime": "2999-01-01T00:00:00Z/.."})
    assert later.json()["numberReturned"] == 0
    now = client.get("/ogc/collections/reports/items", {"datetime": "../2999-01-01"}).json()
    assert now["numberReturned"] == 1
    assert "reporter" not in json.dumps(now) and "buerger@" not in json.dumps(now)
    for bad in ({"bbox": "1,2,3"}, {"limit": "0"}, {"datetime": "gestern"}, {"farbe": "rot"}):
        answer = client.get("/ogc/collections/roads/items", bad)
        assert answer.status_code == 400 and answer.json()["description"]
    assert client.get("/ogc/collections/inspections/items").status_code == 404
    assert client.get("/ogc/collections/roads/items/999999").status_code == 404
    client.force_login(roads.world.dispatcher)
    mine = client.get("/ogc/collections/inspections/items").json()
    assert mine["numberReturned"] == 2
    assert mine["features"][0]["properties"]["route"] == "Kreisstraßen Nord"
