"""GET endpoints in both formats, checked against the schemas: discovery, services, service
definitions, requests (filters, window, jurisdiction, extensions), single requests, tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tracker.models import Photo, Report, ReportEvent, Status
from tracker.open311.models import RequestToken

from . import schemas
from .conftest import aware, json_body, make_report, xml_body

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def get(client: Client, path: str, fmt: str, **params: Any) -> Any:
    return client.get(f"{BASE}/{path}.{fmt}", params)


def body(response: Any, fmt: str, root: str, schema: dict[str, Any], status: int = 200) -> Any:
    if fmt == "json":
        return json_body(response, schema, status)
    return xml_body(response, root, schema, status)


FORMATS = ["xml", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client: Client, fmt: str) -> None:
    data = body(get(client, "discovery", fmt), fmt, "discovery", schemas.DISCOVERY)
    endpoint = data["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_every_active_category(client: Client, region: dict, fmt: str) -> None:
    region["muell"].__class__.objects.create(slug="alt", name="Alt", is_active=False)
    data = body(get(client, "services", fmt), fmt, "services", schemas.SERVICES)
    assert [s["service_code"] for s in data] == ["wilder-muell", "laterne", "nur-in-b"]
    muell, laterne = data[0], data[1]
    assert muell["service_name"] == "Wilder Müll"
    assert muell["metadata"] is False and laterne["metadata"] is True
    assert muell["type"] == "realtime"


def test_service_names_follow_the_request_language(client: Client, region: dict) -> None:
    data = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data[0]["service_name"] == "Illegal dumping"


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_of_a_jurisdiction(client: Client, region: dict, fmt: str) -> None:
    in_a = body(
        get(client, "services", fmt, jurisdiction_id="99001001"), fmt, "services", schemas.SERVICES
    )
    in_b = body(
        get(client, "services", fmt, jurisdiction_id="gemeinde-b"),
        fmt,
        "services",
        schemas.SERVICES,
    )
    assert "nur-in-b" not in [s["service_code"] for s in in_a]
    assert "nur-in-b" in [s["service_code"] for s in in_b]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_with_all_six_datatypes(client: Client, region: dict, fmt: str) -> None:
    data = body(
        get(client, "services/laterne", fmt),
        fmt,
        "service_definition",
        schemas.SERVICE_DEFINITION,
    )
    assert data["service_code"] == "laterne"
    attributes = data["attributes"]
    assert [a["datatype"] for a in attributes[:6]] == schemas.DATATYPES
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5, 6, 7]
    assert attributes[0]["required"] is True and attributes[0]["variable"] is True
    assert attributes[4]["values"] == [
        {"key": "led", "name": "LED"},
        {"key": "natrium", "name": "Natriumdampf"},
    ]
    assert attributes[6]["variable"] is False
    assert "values" not in attributes[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_without_attributes(client: Client, region: dict, fmt: str) -> None:
    data = body(
        get(client, "services/wilder-muell", fmt),
        fmt,
        "service_definition",
        schemas.SERVICE_DEFINITION,
    )
    assert data == {"service_code": "wilder-muell", "attributes": []}


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_public_reports_without_private_data(
    client: Client, region: dict, fmt: str
) -> None:
    report = make_report(region["muell"], 10.051234, 53.051234)
    make_report(region["muell"], confirmed=False)  # a guest who has not confirmed yet
    response = get(client, "requests", fmt)
    for secret in (b"example.org", b"Mustermann", b"1234567", b"Hauptstra", report.tracking_token):
        assert (secret.encode() if isinstance(secret, str) else secret) not in response.content
    data = body(response, fmt, "service_requests", schemas.SERVICE_REQUESTS)
    assert len(data) == 1
    item = data[0]
    assert item["service_request_id"] == str(report.pk)
    assert item["status"] == "open"
    assert item["service_code"] == "wilder-muell"
    assert item["agency_responsible"] == "Landkreis Test"
    # the same approximate location as the public REST API
    assert (item["lat"], item["long"]) == (53.0512, 10.0512)
    assert item["status_notes"] == "E-Mail-Adresse bestätigt, Meldung veröffentlicht"
    assert aware(item["requested_datetime"]) == report.created_at.replace(microsecond=0)
    assert item["media_url"] is None
    assert "+" in item["requested_datetime"][19:] or item["requested_datetime"].endswith("Z")


def test_status_mapping_and_filter(client: Client, region: dict) -> None:
    reports = {status: make_report(region["muell"]) for status in Status.values}
    for status, report in reports.items():
        Report.objects.filter(pk=report.pk).update(status=status)
    data = client.get(f"{BASE}/requests.json").json()
    by_id = {item["service_request_id"]: item["status"] for item in data}
    closed = {Status.DONE, Status.REJECTED, Status.DUPLICATE}
    for status, report in reports.items():
        assert by_id[str(report.pk)] == ("closed" if status in closed else "open")
    only_closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert {i["service_request_id"] for i in only_closed} == {str(reports[s].pk) for s in closed}
    both = client.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()
    assert len(both) == len(reports)


def test_status_notes_come_from_the_latest_public_note(client: Client, region: dict) -> None:
    report = make_report(region["muell"])
    ReportEvent.objects.create(report=report, kind="comment", note="Wird nächste Woche abgeholt")
    ReportEvent.objects.create(report=report, kind="comment", note="intern!", is_public=False)
    item = client.get(f"{BASE}/requests/{report.pk}.json").json()[0]
    assert item["status_notes"] == "Wird nächste Woche abgeholt"


def test_request_filters_ids_codes_and_dates(client: Client, region: dict) -> None:
    muell = make_report(region["muell"])
    laterne = make_report(region["laterne"])
    old = make_report(region["muell"])
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))

    def ids(**params: str) -> set[str]:
        return {i["service_request_id"] for i in client.get(f"{BASE}/requests.json", params).json()}

    # default window: the latest 90 days
    assert ids() == {str(muell.pk), str(laterne.pk)}
    assert ids(service_code="laterne") == {str(laterne.pk)}
    assert ids(service_code="laterne,wilder-muell") == {str(muell.pk), str(laterne.pk)}
    # ids override every other argument (the old one is outside the default window)
    assert ids(service_request_id=f"{old.pk},{laterne.pk},abc", service_code="x") == {
        str(old.pk),
        str(laterne.pk),
    }
    start = (timezone.now() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%S+01:00")
    assert ids(start_date=start, end_date=end) == {str(old.pk)}
    assert ids(start_date=start) == {str(old.pk)}  # start + 90 days
    assert ids(end_date=end) == {str(old.pk)}
    assert ids(start_date=timezone.now().date().isoformat()) == {str(muell.pk), str(laterne.pk)}


def test_requests_are_capped_at_1000(client: Client, region: dict) -> None:
    report = make_report(region["muell"])
    Photo.objects.all().delete()
    Report.objects.bulk_create(
        [
            Report(
                category=report.category,
                location=report.location,
                description="x",
                authority=report.authority,
                routing_reason="boundary",
                confirmed_at=timezone.now(),
                confirmation_token=f"c{i}",
                tracking_token=f"t{i}",
            )
            for i in range(1005)
        ]
    )
    assert len(client.get(f"{BASE}/requests.json").json()) == 1000
    page = client.get(f"{BASE}/requests.json", {"extensions": "true", "page": "2"}).json()
    assert len(page) == 6


def test_request_list_query_count_is_constant(
    client: Client, region: dict, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        make_report(region["muell"])
    with django_assert_max_num_queries(2):
        client.get(f"{BASE}/requests.xml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_of_a_jurisdiction(client: Client, region: dict, fmt: str) -> None:
    in_a = make_report(region["muell"], 10.05)
    in_b = make_report(region["laterne"], 10.15)
    data = body(
        get(client, "requests", fmt, jurisdiction_id="99001002"),
        fmt,
        "service_requests",
        schemas.SERVICE_REQUESTS,
    )
    assert [i["service_request_id"] for i in data] == [str(in_b.pk)]
    # the Kreis covers both; the report in A is routed to the Kreis (wilder Müll)
    kreis = client.get(f"{BASE}/requests.json", {"jurisdiction_id": "99001"}).json()
    assert {i["service_request_id"] for i in kreis} == {str(in_a.pk), str(in_b.pk)}
    assert get(client, f"requests/{in_a.pk}", fmt, jurisdiction_id="gemeinde-b").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions(client: Client, region: dict, fmt: str) -> None:
    report = make_report(region["muell"])
    Report.objects.filter(pk=report.pk).update(status=Status.IN_PROGRESS)
    photo = Photo.objects.create(
        report=report,
        image="photos/x.jpg",
        thumbnail="photos/t.jpg",
        content_type="image/jpeg",
        width=1,
        height=1,
        sha256="0" * 64,
        is_public=True,
    )
    Photo.objects.create(
        report=report,
        image="photos/private.jpg",
        thumbnail="photos/pt.jpg",
        content_type="image/jpeg",
        width=1,
        height=1,
        sha256="1" * 64,
    )
    plain = body(get(client, "requests", fmt), fmt, "service_requests", schemas.SERVICE_REQUESTS)
    assert "extended_attributes" not in plain[0]
    assert plain[0]["media_url"] == f"http://testserver{photo.image.url}"
    data = body(
        get(client, "requests", fmt, extensions="true"),
        fmt,
        "service_requests",
        schemas.EXTENDED_SERVICE_REQUESTS,
    )
    extended = data[0]["extended_attributes"]
    assert extended["detailed_status"] == "in_progress"
    assert extended["media_urls"] == [f"http://testserver{photo.image.url}"]
    assert report.reference in extended["title"]


def test_extension_filters_bbox_updated_and_paging(client: Client, region: dict) -> None:
    west = make_report(region["muell"], 10.05)
    east = make_report(region["muell"], 10.15)
    Report.objects.filter(pk=west.pk).update(updated_at=timezone.now() - timedelta(days=3))

    def ids(**params: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json", {"extensions": "true", **params})
        return [i["service_request_id"] for i in response.json()]

    assert ids(bbox="10.1,53.0,10.2,53.1") == [str(east.pk)]
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(updated_after=yesterday) == [str(east.pk)]
    assert ids(updated_before=yesterday) == [str(west.pk)]
    assert ids(page_size="1") == [str(east.pk)]
    assert ids(page_size="1", page="2") == [str(west.pk)]
    assert ids(page_size="1", page="3") == []
    # without extensions=true the extension arguments are ignored
    plain = client.get(f"{BASE}/requests.json", {"bbox": "10.1,53.0,10.2,53.1"}).json()
    assert len(plain) == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_single_request(client: Client, region: dict, fmt: str) -> None:
    report = make_report(region["laterne"])
    data = body(
        get(client, f"requests/{report.pk}", fmt), fmt, "service_requests", schemas.SERVICE_REQUESTS
    )
    assert len(data) == 1
    assert data[0]["service_request_id"] == str(report.pk)
    assert data[0]["agency_responsible"] == "Gemeinde A"
    extended = body(
        get(client, f"requests/{report.pk}", fmt, extensions="true"),
        fmt,
        "service_requests",
        schemas.EXTENDED_SERVICE_REQUESTS,
    )
    assert extended[0]["extended_attributes"]["detailed_status"] == "new"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unconfirmed_request_is_visible_to_its_creator_only(
    client: Client, region: dict, fmt: str
) -> None:
    report = make_report(region["muell"], confirmed=False)
    token = RequestToken.objects.create(token="geheimes-token-123456", report=report)
    assert get(client, f"requests/{report.pk}", fmt).status_code == 404
    assert get(client, f"requests/{report.pk}", fmt, token="falsch").status_code == 404
    data = body(
        get(client, f"requests/{report.pk}", fmt, token=token.token),
        fmt,
        "service_requests",
        schemas.SERVICE_REQUESTS,
    )
    assert data[0]["service_request_id"] == str(report.pk)
    assert (
        b"example.org" not in get(client, f"requests/{report.pk}", fmt, token=token.token).content
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_token(client: Client, region: dict, fmt: str) -> None:
    report = make_report(region["muell"], confirmed=False)
    RequestToken.objects.create(token="tok-abcdefghijklmnop", report=report)
    data = body(
        get(client, "tokens/tok-abcdefghijklmnop", fmt), fmt, "service_requests", schemas.TOKEN
    )
    assert data == [{"service_request_id": str(report.pk), "token": "tok-abcdefghijklmnop"}]
