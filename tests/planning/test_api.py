"""/api/v1/planning/: permissions, filters, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Role
from tests.factories import staff

from .conftest import Region

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "api:planning-bins",
    "api:planning-hotspots",
    "api:planning-roads",
    "api:planning-stats",
]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_citizen_and_crew_get_403(populated: Region, name: str) -> None:
    for user in (None, populated.citizen, populated.crew):
        response = client_for(user).get(reverse(name))
        assert response.status_code in (401, 403), (user, response.status_code)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_exports_refuse_non_planners(populated: Region, fmt: str) -> None:
    for user in (None, populated.citizen, populated.crew):
        response = client_for(user).get(reverse("api:planning-export", args=[fmt]))
        assert response.status_code in (401, 403)


def test_gemeinde_planner_sees_only_its_own_reports(populated: Region) -> None:
    client = client_for(populated.nord_planner)
    stats = client.get(reverse("api:planning-stats")).json()
    assert stats["total"] == 8
    assert {row["authority"] for row in stats["by_authority"]} == {"nord"}
    bins = client.get(reverse("api:planning-bins"), {"zoom": 8}).json()
    assert bins["total"] == 8
    # asking for a neighbour's data is refused, not silently widened
    response = client.get(reverse("api:planning-stats"), {"authority": "sued"})
    assert response.status_code == 400
    assert "authority" in response.json()


def test_kreis_planner_sees_the_region(populated: Region) -> None:
    client = client_for(populated.kreis_planner)
    stats = client.get(reverse("api:planning-stats")).json()
    assert stats["total"] == 12
    assert {row["authority"] for row in stats["by_authority"]} == {"nord", "sued", "kreis"}
    only_sued = client.get(reverse("api:planning-stats"), {"authority": "sued"}).json()
    assert only_sued["total"] == 3


def test_dispatcher_and_admin_may_plan_superuser_sees_all(populated: Region) -> None:
    dispatcher = staff(populated.sued, Role.DISPATCHER)
    assert client_for(dispatcher).get(reverse("api:planning-stats")).json()["total"] == 3
    admin = staff(populated.sued, Role.ADMIN)
    assert client_for(admin).get(reverse("api:planning-stats")).json()["total"] == 3
    superuser = staff(populated.sued, Role.CREW, is_superuser=True)
    assert client_for(superuser).get(reverse("api:planning-stats")).json()["total"] == 12


def test_token_auth(populated: Region) -> None:
    token = Token.objects.create(user=populated.nord_planner)
    response = Client().get(
        reverse("api:planning-stats"), headers={"Authorization": f"Token {token.key}"}
    )
    assert response.status_code == 200
    assert response.json()["total"] == 8


def test_bins_endpoint(populated: Region) -> None:
    client = client_for(populated.kreis_planner)
    response = client.get(
        reverse("api:planning-bins"),
        {"bbox": "9.9,53.1,10.3,53.4", "zoom": "10", "category": "schlagloch", "shape": "hex"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["shape"] == "hex" and body["cell_size_m"] == 2000
    assert sum(f["properties"]["count"] for f in body["features"]) == 10
    explicit = client.get(reverse("api:planning-bins"), {"cell_size": 250}).json()
    assert explicit["cell_size_m"] == 250 and explicit["total"] == 12


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"zoom": "x"},
        {"zoom": "40"},
        {"shape": "circle"},
        {"cell_size": "5"},
        {"since": "gestern"},
        {"since": "2026-05-01", "until": "2026-04-01"},
        {"status": "kaputt"},
        {"category": "gibt-es-nicht"},
    ],
)
def test_bad_parameters_are_400(populated: Region, params: dict[str, str]) -> None:
    response = client_for(populated.kreis_planner).get(reverse("api:planning-bins"), params)
    assert response.status_code == 400, params


def test_hotspots_and_roads_endpoints(populated: Region) -> None:
    client = client_for(populated.kreis_planner)
    spots = client.get(reverse("api:planning-hotspots"), {"eps": 50}).json()
    (feature,) = spots["features"]
    assert feature["properties"]["count"] == 6
    assert feature["properties"]["category"] == "Schlagloch"
    assert len(feature["properties"]["report_ids"]) == 6
    roads = client.get(reverse("api:planning-roads")).json()
    (road,) = roads["features"]
    assert road["properties"]["ref"] == "K 12"
    assert road["geometry"]["type"] == "LineString"
    assert client.get(reverse("api:planning-hotspots"), {"eps": 1}).status_code == 400


def test_unknown_export_format_is_404(populated: Region) -> None:
    client = client_for(populated.kreis_planner)
    assert client.get(reverse("api:planning-export", args=["xls"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, memberships, region (one recursive query), categories of the
        # filter, then the SQL
        ("api:planning-bins", 6),
        ("api:planning-hotspots", 7),  # + category names
        ("api:planning-roads", 6),
        # counts and histograms from the stored cells in a savepoint (2 + 2), then
        # category/authority slugs
        ("api:planning-stats", 11),
    ],
)
def test_query_counts(
    populated: Region, django_assert_num_queries: Any, name: str, queries: int
) -> None:
    client = client_for(populated.kreis_planner)
    with django_assert_num_queries(queries):
        response = client.get(reverse(name), {"category": "schlagloch,laterne"})
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_query_count(populated: Region, django_assert_num_queries: Any, fmt: str) -> None:
    client = client_for(populated.kreis_planner)
    # session, user, memberships, region, categories (form) + the streamed rows
    with django_assert_num_queries(6):
        response = client.get(
            reverse("api:planning-export", args=[fmt]), {"category": "schlagloch"}
        )
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_schema_documents_the_planning_api(populated: Region) -> None:
    client = client_for(populated.kreis_planner)
    schema = client.get(reverse("api:schema")).content.decode()
    for path in ("/planning/bins", "/planning/hotspots", "/planning/stats", "/planning/reports."):
        assert path in schema
