"""`requests.json` written by PostgreSQL (tracker.open311.list_json): byte for byte the document
that request_data() and render() make of the same reports, German and English, with and
without the extensions, with a bbox and a jurisdiction; `requests.xml` unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from tracker.models import Photo, Report, ReportEvent
from tracker.open311 import selectors
from tracker.open311.render import render
from tracker.open311.views import request_data

from .conftest import make_report

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def photo(report: Report, name: str, *, public: bool = True) -> None:
    Photo.objects.create(
        report=report,
        image=f"photos/2026/11/{name}.jpg",
        thumbnail=f"photos/2026/11/thumbs/{name}.jpg",
        content_type="image/jpeg",
        width=64,
        height=48,
        sha256="0" * 64,
        is_public=public,
    )


def python_document(query: selectors.RequestFilter, language: str, extensions: bool) -> bytes:
    """What the view rendered before: request_data() per report, then render()."""
    request = RequestFactory().get(f"{BASE}/requests.json")
    with translation.override(language):
        reports = selectors.service_requests(query)[:1000]
        items = [request_data(request, r, extensions=extensions) for r in reports]
        return render("json", "service_requests", items, item="request").content


@pytest.fixture
def reports(region: dict[str, Any]) -> list[Report]:
    made = [
        make_report(region["muell"], 10.051234, 53.051234),
        make_report(region["laterne"], 10.15, 53.0, description='„Laterne“ "aus"\\\n\u2028 ok'),
        make_report(region["muell"], 10.06, 53.07),
        make_report(region["muell"]),
    ]
    Report.objects.filter(pk=made[3].pk).update(location=Point(10.3, 53.3, srid=4326))  # no bbox
    now = timezone.now()
    Report.objects.filter(pk=made[0].pk).update(
        due_at=datetime(2027, 7, 1, 10, 0, 0, 500, tzinfo=UTC),  # summer time: +02:00
        created_at=now.replace(microsecond=999999),
    )
    Report.objects.filter(pk=made[1].pk).update(status="done", due_at=now)  # closed: no due date
    Report.objects.filter(pk=made[2].pk).update(location=Point(10.0, 53.0625, srid=4326))
    ReportEvent.objects.create(report=made[2], kind="comment", note="Wird abgeholt")
    ReportEvent.objects.create(report=made[2], kind="comment", note="intern", is_public=False)
    photo(made[0], "abc123")
    photo(made[0], "Foto vom Straßenrand #2")
    photo(made[0], "intern", public=False)
    return made


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("extensions", [False, True])
def test_the_document_written_by_postgres_equals_the_python_one(
    client: Client, reports: list[Report], language: str, extensions: bool
) -> None:
    params = {"extensions": "true"} if extensions else {}
    response = client.get(f"{BASE}/requests.json", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    expected = python_document(selectors.RequestFilter(), language, extensions)
    assert response.content == expected
    data = response.json()
    assert len(data) == 4
    first = next(i for i in data if i["service_request_id"] == str(reports[0].pk))
    assert first["expected_datetime"].endswith("+02:00")
    assert first["media_url"] == "http://testserver/media/photos/2026/11/abc123.jpg"
    if extensions:
        assert first["extended_attributes"]["media_urls"][1].endswith(
            "/Foto%20vom%20Stra%C3%9Fenrand%20%232.jpg"
        )
    assert b"intern" not in response.content and b"example.org" not in response.content


def test_bbox_jurisdiction_and_pages_equal_the_python_document(
    client: Client, region: dict[str, Any], reports: list[Report]
) -> None:
    bbox = "10.0,53.0,10.2,53.1"
    response = client.get(f"{BASE}/requests.json", {"extensions": "true", "bbox": bbox})
    assert {i["service_request_id"] for i in response.json()} == {str(r.pk) for r in reports[:3]}
    from tracker.open311.params import bbox as parse_bbox

    query = selectors.RequestFilter(bbox=parse_bbox(bbox))
    assert response.content == python_document(query, "de", True)
    in_b = client.get(f"{BASE}/requests.json", {"jurisdiction_id": "gemeinde-b"})
    jurisdiction = selectors.jurisdiction_by_id("gemeinde-b")
    assert in_b.content == python_document(
        selectors.RequestFilter(jurisdiction=jurisdiction), "de", False
    )
    second = client.get(
        f"{BASE}/requests.json", {"extensions": "true", "page": "2", "page_size": "2"}
    ).json()
    newest_first = Report.objects.filter(pk__in=[r.pk for r in reports]).order_by(
        "-created_at", "-id"
    )
    assert [i["service_request_id"] for i in second] == [str(r.pk) for r in newest_first[2:4]]
    assert client.get(f"{BASE}/requests.json", {"service_request_id": "x"}).content == b"[]"


def test_the_xml_list_is_unchanged(client: Client, reports: list[Report]) -> None:
    response = client.get(f"{BASE}/requests.xml")
    assert response.status_code == 200
    assert response.content.count(b"<request>") == 4
    assert b"<media_url>http://testserver/media/photos/2026/11/abc123.jpg</media_url>" in (
        response.content
    )
