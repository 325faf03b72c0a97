"""The reports API: GeoJSON reads, intake with field-level errors, duplicates, support."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from PIL import Image

from boundaries.models import Level
from tests.factories import CategoryFactory, box, territory
from tracker.models import Photo, Report, ReportEvent

pytestmark = pytest.mark.django_db

INSIDE = {"lat": "53.05", "lon": "10.1"}


@pytest.fixture
def region() -> dict:
    kreis = territory(
        "Landkreis Test",
        Level.KREIS,
        box(10.0, 53.0, 10.2, 53.1),
        ags="99001",
        email="kreis@example.org",
    )
    gemeinde = territory(
        "Gemeinde Test", Level.GEMEINDE, box(10.0, 53.0, 10.2, 53.1), ags="99001001", parent=kreis
    )
    category = CategoryFactory.create(slug="wilder-muell", name="Wilder Müll", level=Level.KREIS)
    return {"kreis": kreis, "gemeinde": gemeinde, "category": category}


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def post_report(client: Client, **fields: Any) -> Any:
    data = {
        **INSIDE,
        "category": "wilder-muell",
        "description": "Sperrmüll am Waldrand",
        "email": "Buerger@Example.org",
        **fields,
    }
    return client.post("/api/v1/reports", data)


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_guest_report_is_routed_stored_and_mailed(
    client: Client, region: dict, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports",
            data=json.dumps(
                {
                    **INSIDE,
                    "category": "wilder-muell",
                    "description": "Sperrmüll",
                    "email": "buerger@example.org",
                }
            ),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["authority"]["name"] == "Landkreis Test"
    assert body["reason"] == "boundary"
    assert body["confirmation_required"] is True
    report = Report.objects.get(pk=body["id"])
    assert report.authority == region["kreis"]
    assert report.confirmed_at is None
    assert report.events.get().kind == ReportEvent.Kind.CREATED
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["buerger@example.org", "kreis@example.org"]
    citizen_mail = next(m for m in mail.outbox if m.to == ["buerger@example.org"])
    assert report.confirmation_token in citizen_mail.body
    assert report.tracking_token in citizen_mail.body


def test_unconfirmed_guest_report_is_not_public_until_confirmed(
    client: Client, region: dict
) -> None:
    report_id = post_report(client).json()["id"]
    assert client.get(f"/api/v1/reports/{report_id}").status_code == 404
    assert client.get("/api/v1/reports").json()["features"] == []
    token = Report.objects.get(pk=report_id).confirmation_token
    assert client.post(f"/bestaetigen/{token}/").status_code == 200
    detail = client.get(f"/api/v1/reports/{report_id}").json()
    assert detail["properties"]["status"] == "new"


def test_public_output_has_no_contact_data_and_an_approximate_location(
    client: Client, region: dict
) -> None:
    report_id = post_report(
        client, name="Erika Mustermann", phone="0171 1234567", lat="53.051234", lon="10.101234"
    ).json()["id"]
    Report.objects.filter(pk=report_id).update(confirmed_at="2026-11-01T10:00:00Z")
    raw = client.get("/api/v1/reports", {"bbox": "10.0,53.0,10.2,53.1"}).content.decode()
    for secret in ("example.org", "Mustermann", "1234567", "_token"):
        assert secret not in raw
    feature = json.loads(raw)["features"][0]
    assert feature["geometry"]["coordinates"] == [10.1012, 53.0512]
    assert feature["properties"]["category"] == "wilder-muell"


def test_bbox_listing_is_geojson_paginated_and_filtered(client: Client, region: dict) -> None:
    for lat in ("53.01", "53.02", "53.09"):
        post_report(client, lat=lat)
    Report.objects.update(confirmed_at="2026-11-01T10:00:00Z")
    body = client.get("/api/v1/reports", {"bbox": "10.0,53.0,10.2,53.05", "page_size": "1"}).json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 1
    assert body["next"] and body["previous"] is None
    second = client.get(body["next"]).json()
    assert len(second["features"]) == 1
    assert second["next"] is None
    assert {f["id"] for f in body["features"] + second["features"]} == set(
        Report.objects.filter(location__intersects=box(10.0, 53.0, 10.2, 53.05)).values_list(
            "id", flat=True
        )
    )
    assert client.get("/api/v1/reports", {"status": "done"}).json()["features"] == []


def test_list_query_count_does_not_grow_with_reports(
    client: Client, region: dict, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        post_report(client)
    Report.objects.update(confirmed_at="2026-11-01T10:00:00Z")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/reports", {"bbox": "10.0,53.0,10.2,53.1"})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "10.2,53.0,10.0,53.1"}, "bbox"),
        ({"bbox": "10,53,nan,54"}, "bbox"),
        ({"status": "kaputt"}, "status"),
        ({"page": "0"}, "page"),
        ({"page_size": "viele"}, "page_size"),
    ],
)
def test_bad_list_parameters_are_400(
    client: Client, region: dict, params: dict, field: str
) -> None:
    response = client.get("/api/v1/reports", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"lat": ""}, "lat"),
        ({"lat": "north"}, "lat"),
        ({"lon": "NaN"}, "lon"),
        ({"lat": "48.85", "lon": "2.35"}, "lat"),  # Paris: outside the service area
        ({"category": "gibt-es-nicht"}, "category"),
        ({"description": ""}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"email": ""}, "email"),  # guests need an email address
        ({"email": "keine-adresse"}, "email"),
        ({"website": "http://spam.example"}, "website"),  # honeypot
    ],
)
def test_bad_input_is_a_400_with_field_messages_and_stores_nothing(
    client: Client, region: dict, fields: dict, error_field: str
) -> None:
    response = post_report(client, **fields)
    assert response.status_code == 400, response.content
    assert error_field in response.json()
    assert Report.objects.count() == 0
    assert mail.outbox == []


def test_outside_service_area_message_is_clear(client: Client, region: dict) -> None:
    response = post_report(client, lat="48.85", lon="2.35")
    assert "außerhalb" in response.json()["lat"][0]


def test_malformed_json_is_a_400(client: Client, region: dict) -> None:
    response = client.post("/api/v1/reports", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_wrong_types_in_json_are_400(client: Client, region: dict) -> None:
    response = client.post(
        "/api/v1/reports",
        data=json.dumps({"lat": [1], "lon": {"x": 1}, "category": 5, "description": None}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"lat", "lon", "description"} <= set(response.json())


def test_report_with_photos_stores_cleaned_images(client: Client, region: dict) -> None:
    response = post_report(
        client, photos=[upload("a.jpg", jpeg_bytes()), upload("b.jpg", jpeg_bytes())]
    )
    assert response.status_code == 201, response.content
    photos = Photo.objects.filter(report_id=response.json()["id"])
    assert photos.count() == 2
    for photo in photos:
        assert photo.image.storage.exists(photo.image.name)
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)


def test_a_bad_photo_leaves_no_report_and_no_file(client: Client, region: dict) -> None:
    before = media_files()
    response = post_report(
        client,
        photos=[upload("ok.jpg", jpeg_bytes()), upload("fake.jpg", b"%PDF-1.4 not an image")],
    )
    assert response.status_code == 400
    assert "photos" in response.json()
    assert Report.objects.count() == 0
    assert Photo.objects.count() == 0
    assert media_files() == before


def test_more_than_five_photos_are_refused(client: Client, region: dict) -> None:
    photos = [upload(f"{i}.jpg", jpeg_bytes()) for i in range(6)]
    response = post_report(client, photos=photos)
    assert response.status_code == 400
    assert "photos" in response.json()


def test_report_creation_is_rate_limited_per_ip(client: Client, region: dict, settings) -> None:
    from rest_framework.settings import api_settings

    rates: dict[str, Any] = {**api_settings.DEFAULT_THROTTLE_RATES, "report_create_ip": "2/h"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        assert post_report(client).status_code == 201
        assert post_report(client).status_code == 201
        third = post_report(client)
        assert third.status_code == 429
        # The client learns when to try again: when the first of the two leaves the hour.
        assert 3500 < int(third["Retry-After"]) <= 3600
        assert Report.objects.count() == 2
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_nearby_open_reports_are_offered_and_supporting_counts_once(
    client: Client, region: dict
) -> None:
    first = post_report(client).json()["id"]
    far = post_report(client, lat="53.09").json()["id"]
    Report.objects.update(confirmed_at="2026-11-01T10:00:00Z")
    # ~22 m north of the first report, inside the default 50 m duplicate radius
    nearby = client.get(
        "/api/v1/reports/nearby", {"lat": "53.0502", "lon": "10.1", "category": "wilder-muell"}
    ).json()
    ids = [f["id"] for f in nearby["features"]]
    assert ids == [first]
    assert far not in ids
    assert 15 < nearby["features"][0]["properties"]["distance_m"] < 30
    for _ in range(2):
        response = client.post(f"/api/v1/reports/{first}/support", {"email": "nachbar@example.org"})
        assert response.status_code == 200
    assert response.json()["supporter_count"] == 1
    assert client.post(f"/api/v1/reports/{first}/support", {}).status_code == 400


def test_categories_endpoint_lists_active_categories_in_the_request_language(
    client: Client, region: dict
) -> None:
    CategoryFactory.create(slug="laterne", name="Straßenbeleuchtung", name_en="Street lighting")
    CategoryFactory.create(slug="alt", is_active=False)
    slugs = [c["slug"] for c in client.get("/api/v1/categories").json()]
    assert "laterne" in slugs and "alt" not in slugs
    english = client.get("/api/v1/categories", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"slug": "laterne", "name": "Street lighting"}.items() <= next(
        c for c in english if c["slug"] == "laterne"
    ).items()


def test_openapi_schema_and_docs_page(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/reports" in schema.content.decode()
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_a_category_offered_only_elsewhere_is_refused_here(client: Client, region: dict) -> None:
    elsewhere = territory("Anderswo", Level.GEMEINDE, box(11.0, 53.0, 11.2, 53.1), ags="99002001")
    region["category"].available_in.add(elsewhere)
    response = post_report(client)
    assert response.status_code == 400
    assert "nicht angeboten" in response.json()["category"][0]
    assert not Report.objects.exists()
    region["category"].available_in.add(region["gemeinde"])
    assert post_report(client).status_code == 201


def test_absurd_page_numbers_are_a_400_not_a_crash(client: Client, region: dict) -> None:
    for page in ("9999999999999999999999", "10001", "0", "abc"):
        response = client.get("/api/v1/reports", {"page": page})
        assert response.status_code == 400, page
        assert "page" in response.json()
    assert client.get("/api/v1/reports", {"page": "10000"}).status_code == 200


def test_reports_from_our_page_count_as_web_and_others_as_api(client: Client, region: dict) -> None:
    assert Report.objects.get(pk=post_report(client).json()["id"]).source == "api"
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        "/api/v1/reports",
        {**INSIDE, "category": "wilder-muell", "description": "Vom Formular", "email": "a@b.de"},
        HTTP_X_CSRFTOKEN="a" * 32,
    )
    assert Report.objects.get(pk=response.json()["id"]).source == "web"


@pytest.mark.django_db(transaction=True)
def test_intake_the_same_with_prepared_statements_on_or_off(
    client: Client,
    region: dict,
    settings: Any,
    prepared_statements: Callable[[str], list[str]],
) -> None:
    """Intake's lookups and write are prepared once per connection (core/dbread.py); the
    citizen gets the same answer with DB_PREPARED_STATEMENTS on or off (an old pooler)."""
    connection.close()
    settings.DB_PREPARED_STATEMENTS = False
    off = post_report(client)
    assert not prepared_statements("tracker_report")
    settings.DB_PREPARED_STATEMENTS = True
    on, again = post_report(client), post_report(client)
    for response in (off, on, again):
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["authority"]["name"] == "Landkreis Test" and body["reason"] == "boundary"
    ids = [response.json()["id"] for response in (off, on, again)]
    assert Report.objects.filter(pk__in=ids).count() == 3
    # the write (report, history, ledger, outbox in one statement) and the boundary lookup
    assert len([s for s in prepared_statements("tracker_report") if "INSERT INTO" in s]) == 1
    assert prepared_statements("boundaries_boundarypiece")
