"""The public map's GeoJSON pages built by PostGIS (tracker.map_geojson): the same features as
the Python serializer, keyset pages through `next`, cache headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import translation

from boundaries.models import Level
from tests.factories import AuthorityFactory, CategoryFactory, ReportFactory
from tracker import selectors
from tracker.api import PublicReportSerializer
from tracker.models import Photo, Report

pytestmark = pytest.mark.django_db

BBOX = "10.0,53.0,10.2,53.1"


def photo(report: Report, name: str, *, public: bool = True) -> Photo:
    return Photo.objects.create(
        report=report,
        image=f"photos/2026/11/{name}.jpg",
        thumbnail=f"photos/2026/11/thumbs/{name}.jpg",
        content_type="image/jpeg",
        width=64,
        height=48,
        sha256="0" * 64,
        is_public=public,
    )


@pytest.fixture
def reports() -> list[Report]:
    authority = AuthorityFactory.create(name="Landkreis Test", level=Level.KREIS)
    category = CategoryFactory.create(
        slug="laterne", name="Straßenbeleuchtung", name_en="Street lighting"
    )
    other = CategoryFactory.create(slug="muell", name="Wilder Müll", name_en="")
    made = [
        ReportFactory.create(
            category=category if i % 2 else other,
            authority=authority,
            location=Point(10.0 + i * 0.0123456, 53.0 + i * 0.00987654, srid=4326),
            description=f'Meldung {i} mit „Anführungszeichen“ und "quotes"\n',
            status=["new", "in_progress", "done"][i % 3],
            supporter_count=i,
            created_at=datetime(2025, 12, 31, 23, 59, 59, 123400 * (i % 2), tzinfo=UTC),
        )
        for i in range(4)
    ]
    photo(made[1], "abc123")
    photo(made[1], "Foto vom Straßenrand #2")  # an imported name that needs quoting
    photo(made[1], "internal", public=False)
    photo(made[2], "def456")
    ReportFactory.create(authority=authority, category=category, confirmed_at=None)  # hidden
    return made


def python_features(language: str) -> list[dict[str, Any]]:
    """What the serializer (the Python path, used for the detail view) makes of the page."""
    with translation.override(language):
        reports = selectors.reports_in_bbox().order_by("-created_at", "-id")
        return PublicReportSerializer(list(reports), many=True).data["features"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_built_by_postgis_equals_the_serializers_features(
    client: Client, reports: list[Report], language: str
) -> None:
    response = client.get("/api/v1/reports", {"bbox": BBOX}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["features"] == python_features(language)
    assert len(body["features"]) == 4  # the unconfirmed one stays hidden
    with_photos = next(f for f in body["features"] if f["id"] == reports[1].pk)
    assert [p["url"] for p in with_photos["properties"]["photos"]] == [
        "/media/photos/2026/11/abc123.jpg",
        "/media/photos/2026/11/Foto%20vom%20Stra%C3%9Fenrand%20%232.jpg",
    ]
    assert with_photos["properties"]["created_at"] == "2025-12-31T23:59:59.123400Z"
    assert with_photos["properties"]["reference"] == f"2025-{reports[1].pk:06d}"
    raw = response.content.decode()
    for secret in ("example.org", "Mustermann", "123456", "internal"):
        assert secret not in raw


def test_next_links_page_by_keyset_without_gaps_or_repeats(
    client: Client, reports: list[Report]
) -> None:
    # Two reports at the same moment: the id decides the order.
    Report.objects.filter(pk=reports[3].pk).update(created_at=reports[2].created_at)
    seen: list[int] = []
    body = client.get("/api/v1/reports", {"bbox": BBOX, "page_size": "1"}).json()
    pages = [body["page"]]
    while True:
        seen += [f["id"] for f in body["features"]]
        if len(seen) == 1:
            # a new report while the citizen pages on: it does not push anything onto the
            # next page a second time
            ReportFactory.create(
                authority=reports[0].authority,
                category=reports[0].category,
                location=Point(10.1, 53.05, srid=4326),
            )
        if not body["next"]:
            break
        assert "cursor=" in body["next"] and "page=" not in body["next"]
        body = client.get(body["next"]).json()
        pages.append(body["page"])
    expected = Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("-created_at", "-id")
    assert seen == [r.pk for r in expected]
    assert pages == [1, 2, 3, 4]


def test_page_numbers_still_work_and_bad_cursors_are_a_400(
    client: Client, reports: list[Report]
) -> None:
    second = client.get("/api/v1/reports", {"page": "2", "page_size": "3"}).json()
    assert [f["id"] for f in second["features"]] == [
        r.pk
        for r in Report.objects.filter(confirmed_at__isnull=False).order_by("-created_at", "-id")
    ][3:]
    assert second["previous"] and "page=1" in second["previous"]
    for cursor in ("abc", "1.2", "2.999999999999999999.1", "1.2.3.4"):
        response = client.get("/api/v1/reports", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()


def test_map_pages_may_be_cached_briefly_per_language(
    client: Client, reports: list[Report]
) -> None:
    response = client.get("/api/v1/reports", {"bbox": BBOX})
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    empty = client.get("/api/v1/reports", {"bbox": "11.0,54.0,11.1,54.1"}).json()
    assert empty["features"] == [] and empty["next"] is None


def test_since_and_category_filters_are_applied_in_sql(
    client: Client, reports: list[Report]
) -> None:
    Report.objects.filter(pk=reports[0].pk).update(
        created_at=datetime.now(tz=UTC) - timedelta(days=2)
    )
    recent = client.get("/api/v1/reports", {"since": "7"}).json()["features"]
    assert [f["id"] for f in recent] == [reports[0].pk]
    lights = client.get("/api/v1/reports", {"category": "laterne"}).json()["features"]
    assert {f["id"] for f in lights} == {reports[1].pk, reports[3].pk}


def test_the_language_cookie_and_security_headers_apply_to_the_short_path(
    client: Client, reports: list[Report]
) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/api/v1/reports", {"bbox": BBOX})
    assert response["Content-Language"] == "en"
    assert response["X-Content-Type-Options"] == "nosniff"
    names = {f["properties"]["category_name"] for f in response.json()["features"]}
    assert names == {"Street lighting", "Wilder Müll"}  # no English name: the German one
    bad = client.get("/api/v1/reports", {"bbox": "1,2,3"})
    assert bad.status_code == 400
    assert "bbox" in bad.json()
