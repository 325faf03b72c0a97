"""POST requests: API keys, attributes of every datatype, media upload, jurisdiction, and
the spec's errors for bad input (never a 500, nothing stored)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tracker.models import Photo, Report
from tracker.open311.models import ApiKey, RequestAttributes, RequestToken
from tracker.open311.services import api_key_revoke

from . import schemas
from .conftest import INSIDE_A, INSIDE_B, jpeg_upload, json_body, xml_body

pytestmark = pytest.mark.django_db

LATERNE_OK = {"attribute[mast]": "L-0042"}


def post(client: Client, fmt: str = "json", **fields: Any) -> Any:
    data = {
        "service_code": "wilder-muell",
        **INSIDE_A,
        "description": "Sperrmüll am Waldrand",
        "email": "Buerger@Example.org",
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/open311/v2/requests.{fmt}", data)


def created(response: Any, fmt: str) -> dict[str, Any]:
    if fmt == "json":
        return json_body(response, schemas.CREATED)[0]
    return xml_body(response, "service_requests", schemas.CREATED)[0]


def errors(response: Any, fmt: str, status: int) -> list[dict[str, Any]]:
    if fmt == "json":
        return json_body(response, schemas.ERRORS, status)
    return xml_body(response, "errors", schemas.ERRORS, status)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_files_a_guest_report_routed_and_mailed(
    client: Client, region: dict, api_key: str, fmt: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            fmt,
            api_key=api_key,
            first_name="Erika",
            last_name="Mustermann",
            phone="0171 1234567",
            address_string="Waldweg, Testdorf",
            device_id="dev-1",
            account_id="acc-7",
            media_url="https://img.example.org/1.jpg",
        )
    item = created(response, fmt)
    report = Report.objects.get(pk=int(item["service_request_id"]))
    assert report.source == Report.Source.OPEN311
    assert report.authority == region["kreis"]
    assert report.reporter_email == "buerger@example.org"
    assert report.reporter_name == "Erika Mustermann"
    assert report.address == "Waldweg, Testdorf"
    assert report.confirmed_at is None  # guests confirm from the e-mail, as on the web
    assert item["account_id"] == "acc-7"
    assert item["token"] == RequestToken.objects.get(report=report).token
    assert "Landkreis Test" in item["service_notice"]
    extra = RequestAttributes.objects.get(report=report)
    assert (extra.device_id, extra.account_id) == ("dev-1", "acc-7")
    assert extra.media_url == "https://img.example.org/1.jpg"
    assert extra.api_key is not None and extra.api_key.name == "Test-App"
    assert sorted(m.to[0] for m in mail.outbox)[0] == "buerger@example.org"
    # not public yet, but its creator can follow it with the token or its key
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 404
    own = client.get(f"/open311/v2/requests/{report.pk}.json", {"token": item["token"]})
    assert own.status_code == 200
    by_key = client.get(f"/open311/v2/requests/{report.pk}.json", {"api_key": api_key})
    assert by_key.status_code == 200
    token = client.get(f"/open311/v2/tokens/{item['token']}.json").json()
    assert token == [{"service_request_id": str(report.pk), "token": item["token"]}]


def test_attributes_of_every_datatype_are_validated_and_stored(
    client: Client, region: dict, api_key: str
) -> None:
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "laterne",
            **INSIDE_A,
            "description": "Leuchte dunkel",
            "email": "b@example.org",
            "attribute[mast]": "L-0042",
            "attribute[hoehe]": "4.5",
            "attribute[seit]": "2026-11-01T20:00:00+01:00",
            "attribute[details]": "seit Tagen\nganz dunkel",
            "attribute[art]": "led",
            "attribute[zustand][]": ["dunkel", "flackert"],
            "attribute[hinweis]": "ignoriert: kein Eingabefeld",
            "attribute[fixmystreet_id]": "123",  # foreign attributes are ignored
        },
    )
    item = json_body(response, schemas.CREATED)[0]
    values = RequestAttributes.objects.get(report_id=int(item["service_request_id"])).values
    assert values == {
        "mast": "L-0042",
        "hoehe": 4.5,
        "seit": "2026-11-01T20:00:00+01:00",
        "details": "seit Tagen\nganz dunkel",
        "art": "led",
        "zustand": ["dunkel", "flackert"],
    }


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({}, "attribute[mast]"),  # required
        ({**LATERNE_OK, "attribute[mast]": "a\nb"}, "attribute[mast]"),
        ({**LATERNE_OK, "attribute[hoehe]": "hoch"}, "attribute[hoehe]"),
        ({**LATERNE_OK, "attribute[hoehe]": "nan"}, "attribute[hoehe]"),
        ({**LATERNE_OK, "attribute[seit]": "gestern"}, "attribute[seit]"),
        ({**LATERNE_OK, "attribute[seit]": "2026-13-45"}, "attribute[seit]"),
        ({**LATERNE_OK, "attribute[details]": "x" * 5001}, "attribute[details]"),
        ({**LATERNE_OK, "attribute[art]": "neon"}, "attribute[art]"),
        ({**LATERNE_OK, "attribute[art][]": ["led", "natrium"]}, "attribute[art]"),
        ({**LATERNE_OK, "attribute[zustand][]": ["dunkel", "kaputt"]}, "attribute[zustand]"),
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_bad_attribute_values_are_400(
    client: Client, region: dict, api_key: str, fields: dict, fragment: str, fmt: str
) -> None:
    response = client.post(
        f"/open311/v2/requests.{fmt}",
        {
            "api_key": api_key,
            "service_code": "laterne",
            **INSIDE_A,
            "description": "Leuchte dunkel",
            "email": "b@example.org",
            **fields,
        },
    )
    found = errors(response, fmt, 400)
    assert any(fragment in e["description"] for e in found), found
    assert all(e["code"] == 400 for e in found)
    assert Report.objects.count() == 0


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"api_key": None}, 403),
        ({"api_key": "falsch"}, 403),
        ({"service_code": None}, 400),
        ({"service_code": "gibt-es-nicht"}, 404),
        ({"jurisdiction_id": "12345"}, 404),
        ({"lat": None, "long": None}, 400),  # no location at all
        ({"lat": None, "long": None, "address_string": "Hauptstraße 1"}, 400),  # no geocoder
        ({"long": None}, 400),
        ({"lat": "north"}, 400),
        ({"lat": "95"}, 400),
        ({"long": "inf"}, 400),
        ({"lat": "48.85", "long": "2.35"}, 400),  # Paris: outside the service area
        ({"jurisdiction_id": "99001002"}, 400),  # point in Gemeinde A, not B
        ({"description": ""}, 400),
        ({"description": "x" * 5001}, 400),
        ({"email": None}, 400),  # guests need an e-mail address
        ({"email": "keine-adresse"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
    ],
)
def test_bad_requests_get_the_spec_error_and_store_nothing(
    client: Client, region: dict, api_key: str, fmt: str, fields: dict, status: int
) -> None:
    fields = {"api_key": api_key, **fields}
    response = post(client, fmt, **fields)
    found = errors(response, fmt, status)
    assert found[0]["code"] == status
    assert Report.objects.count() == 0
    assert mail.outbox == []


def test_revoked_and_inactive_keys_are_refused(client: Client, region: dict, api_key: str) -> None:
    key = ApiKey.objects.get()
    api_key_revoke(key)
    assert post(client, api_key=api_key).status_code == 403
    ApiKey.objects.update(revoked_at=None, is_active=False)
    assert post(client, api_key=api_key).status_code == 403
    ApiKey.objects.update(is_active=True)
    assert post(client, api_key=api_key).status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_key_is_stored_hashed(api_key: str) -> None:
    key = ApiKey.objects.get()
    assert api_key not in (key.key_hash, key.prefix)
    assert api_key.startswith(key.prefix)


def test_jurisdiction_accepts_points_inside(client: Client, region: dict, api_key: str) -> None:
    for jurisdiction in ("99001", "lk-test", "99001002", "gemeinde-b"):
        response = post(client, api_key=api_key, jurisdiction_id=jurisdiction, **INSIDE_B)
        assert response.status_code == 200, response.content
    # without jurisdiction_id the routing layer decides
    response = post(client, api_key=api_key, service_code="laterne", **LATERNE_OK, **INSIDE_B)
    report = Report.objects.get(pk=int(response.json()[0]["service_request_id"]))
    assert report.authority == region["gemeinde_b"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_media_upload_goes_through_the_photo_checks(
    client: Client, region: dict, api_key: str, fmt: str
) -> None:
    response = post(client, fmt, api_key=api_key, media=[jpeg_upload(), jpeg_upload("b.jpg")])
    item = created(response, fmt)
    photos = Photo.objects.filter(report_id=int(item["service_request_id"]))
    assert photos.count() == 2
    assert all(p.content_type == "image/jpeg" for p in photos)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_bad_image_is_a_400(client: Client, region: dict, api_key: str, fmt: str) -> None:
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "fake.jpg"
    found = errors(post(client, fmt, api_key=api_key, media=[jpeg_upload(), fake]), fmt, 400)
    assert found[0]["description"].startswith("media:")
    assert Report.objects.count() == 0 and Photo.objects.count() == 0


def test_too_many_media_files_are_refused(client: Client, region: dict, api_key: str) -> None:
    response = post(client, api_key=api_key, media=[jpeg_upload(f"{i}.jpg") for i in range(6)])
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_nul_characters_are_dropped_not_a_database_error(
    client: Client, region: dict, api_key: str
) -> None:
    response = post(client, api_key=api_key, description="Müll\x00 am Weg")
    report = Report.objects.get(
        pk=int(json_body(response, schemas.CREATED)[0]["service_request_id"])
    )
    assert report.description == "Müll am Weg"


def test_post_needs_no_csrf_token_and_echoes_no_contact_data(region: dict, api_key: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post(client, api_key=api_key, phone="0171 1234567", first_name="Erika")
    assert response.status_code == 200, response.content
    for private in (b"example.org", b"Example.org", b"1234567", b"Erika"):
        assert private not in response.content
