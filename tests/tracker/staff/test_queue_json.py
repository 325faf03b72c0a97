"""The staff work queue's pages written by PostgreSQL (tracker.staff.queue_json): byte for byte
what StaffReportSerializer and DRF's JSONRenderer make of the same reports, for a scoped
staff member, in German and English; keyset `next` links; scoping unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from geo.params import parse_bbox
from tests.factories import RoadFactory
from tracker import selectors, services
from tracker.models import AbuseFlag, Priority, Report, ReportEvent
from tracker.staff.serializers import StaffReportSerializer

from .fixtures import World

pytestmark = pytest.mark.django_db

API = "/api/v1/staff/reports"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def serializer_body(user: User, language: str, bbox: str = "", **frame: Any) -> bytes:
    """What the DRF list view rendered before: the serializer's features, JSONRenderer."""
    with translation.override(language):
        viewport = parse_bbox(bbox) if bbox else None
        reports = list(selectors.staff_queue(user, bbox=viewport)[:50])
        features = StaffReportSerializer(reports, many=True).data["features"]
        data = {
            "count": len(reports),
            "type": "FeatureCollection",
            "page": 1,
            "next": None,
            "previous": None,
            **frame,
            "features": features,
        }
        return JSONRenderer().render(data)


@pytest.fixture
def queue(world: World) -> list[Report]:
    road = RoadFactory.create(ref="K 12")
    made = [
        world.report(description='Loch mit „Anführung“, "quotes", \\ und\nZeile\u2028Ende\t!'),
        world.report(road=road, address="Hauptstraße 1"),
        world.report(confirmed=False),
        world.report(),
    ]
    services.report_set_priority(made[1], priority=Priority.URGENT, by=world.dispatcher)
    services.report_assign(made[1], team=world.team, user=world.crew, by=world.dispatcher)
    Report.objects.filter(pk=made[0].pk).update(
        due_at=datetime(2020, 1, 1, tzinfo=UTC),  # overdue
        created_at=datetime(2025, 12, 31, 23, 30, 0, tzinfo=UTC),  # 2026 in Berlin
        location=Point(10.0, 53.0625, srid=4326),  # whole and binary-exact numbers
    )
    Report.objects.filter(pk=made[3].pk).update(
        due_at=None, updated_at=datetime(2026, 7, 1, 12, 0, 0, 123400, tzinfo=UTC)
    )
    AbuseFlag.objects.create(report=made[3], reason="spam", text="Werbung")
    ReportEvent.objects.create(
        report=made[3], kind="comment", note="Danke", review=ReportEvent.Review.PENDING
    )
    outside = world.report()  # another authority's report: never in this queue
    Report.objects.filter(pk=outside.pk).update(authority=world.gemeinde)
    return made


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_written_by_postgres_equals_the_serializers_bytes(
    world: World, queue: list[Report], language: str
) -> None:
    world.category.name_en = "Pothole"
    world.category.save()
    response = client_for(world.dispatcher).get(API, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == serializer_body(world.dispatcher, language)
    body = response.json()
    assert body["count"] == 4  # the unconfirmed one is work too; the Gemeinde's is not
    first = next(f for f in body["features"] if f["id"] == queue[0].pk)
    assert first["properties"]["overdue"] is True
    assert first["properties"]["reference"] == f"2025-{queue[0].pk:06d}"
    assert first["geometry"]["coordinates"] == [10.0, 53.0625]
    names = {f["properties"]["category_name"] for f in body["features"]}
    assert names == ({"Pothole"} if language == "en" else {"Schlagloch"})
    flagged = next(f for f in body["features"] if f["id"] == queue[3].pk)
    assert flagged["properties"]["moderation"]["open_flags"] == 1
    assert flagged["properties"]["moderation"]["comments_waiting"] == 1


def test_a_scoped_member_gets_the_same_bytes_as_before(world: World, queue: list[Report]) -> None:
    # The Gemeinde's dispatcher sees only the Gemeinde's report, whatever the filter says.
    mine = world.report()
    Report.objects.filter(pk=mine.pk).update(authority=world.gemeinde)
    client = client_for(world.gemeinde_dispatcher)
    response = client.get(API)
    assert response.content == serializer_body(world.gemeinde_dispatcher, "de")
    assert response.json()["count"] == 2
    assert client.get(API, {"authority": str(world.kreis.pk)}).json()["count"] == 0
    assert client_for(world.crew).get(API, {"bbox": "10.0,53.0,10.2,53.1"}).json()["count"] == 4


def test_next_links_page_by_keyset_and_keep_the_count(world: World, queue: list[Report]) -> None:
    client = client_for(world.dispatcher)
    body = client.get(API, {"page_size": "1"}).json()
    seen, pages = [], []
    while True:
        seen += [f["id"] for f in body["features"]]
        pages.append((body["page"], body["count"]))
        if len(seen) == 1:
            world.report()  # filed while paging: it does not push anything onto a later page
        if not body["next"]:
            break
        assert "cursor=" in body["next"] and "page=" not in body["next"]
        if body["page"] > 1:
            assert "page=" in body["previous"] and "cursor=" not in body["previous"]
        body = client.get(body["next"]).json()
    expected = [r.pk for r in sorted(queue, key=lambda r: (r.created_at, r.pk), reverse=True)]
    assert seen == expected
    assert [p for p, _ in pages] == [1, 2, 3, 4]
    assert [c for _, c in pages] == [4, 5, 5, 5]
    # other sorts page by number, as before
    by_priority = client.get(API, {"page_size": "1", "sort": "-priority"}).json()
    assert by_priority["features"][0]["id"] == queue[1].pk
    assert "page=2" in by_priority["next"] and "cursor" not in by_priority["next"]


def test_bad_cursors_are_a_400(world: World, queue: list[Report]) -> None:
    client = client_for(world.dispatcher)
    for params in ({"cursor": "abc"}, {"cursor": "2.5.1", "sort": "-priority"}):
        response = client.get(API, params)
        assert response.status_code == 400, params
        assert "cursor" in response.json()


def test_the_viewport_count_is_the_same_answer_as_st_intersects(
    world: World, queue: list[Report]
) -> None:
    # on the edges (inside for ST_Intersects) and a hair outside (outside for it, though
    # inside the index's box test)
    places = [
        (10.05, 53.02),
        (10.08, 53.02),
        (10.05, 53.06),
        (10.0499999, 53.03),
        (10.07, 53.0600001),
    ]
    for report, (x, y) in zip(queue, places, strict=False):
        Report.objects.filter(pk=report.pk).update(location=Point(x, y, srid=4326))
    outside = world.report()
    Report.objects.filter(pk=outside.pk).update(location=Point(10.08, 53.0600001, srid=4326))
    bbox = "10.05,53.02,10.08,53.06"
    response = client_for(world.dispatcher).get(API, {"bbox": bbox})
    expected = selectors.staff_queue(world.dispatcher, bbox=parse_bbox(bbox))
    assert response.json()["count"] == expected.count() == 3
    assert response.content == serializer_body(world.dispatcher, "de", bbox, count=3)
