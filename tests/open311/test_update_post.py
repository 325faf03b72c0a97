"""POST servicerequestupdates (FixMyStreet's update extension): citizens' apps add public
comments, a back-office key (ApiKey.acts_as) moves the workflow through the staff services,
every update is stored once per client update_id, and bad input gets the spec's errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from tests.factories import staff
from tracker.models import Report, ReportEvent, Status
from tracker.open311.models import ApiKey, OutboundDelivery, OutboundEndpoint, RequestUpdate
from tracker.open311.services import api_key_issue, api_key_revoke

from . import schemas
from .conftest import json_body, make_report, xml_body

pytestmark = pytest.mark.django_db

URL = "/open311/v2/servicerequestupdates.{fmt}"


def post_update(client: Client, fmt: str, **fields: Any) -> Any:
    data = {
        "update_id": "fms-1",
        "status": "OPEN",
        "updated_datetime": "2026-11-23T10:00:00+01:00",
        "description": "Der Müll liegt immer noch da.",
        "first_name": "Max",
        "last_name": "Muster",
        "email": "max@example.org",
        **fields,
    }
    return client.post(URL.format(fmt=fmt), {k: v for k, v in data.items() if v is not None})


def answer(response: Any, fmt: str) -> dict[str, Any]:
    if fmt == "json":
        return json_body(response, schemas.UPDATE_CREATED)[0]
    return xml_body(response, "service_request_updates", schemas.UPDATE_CREATED)[0]


def errors(response: Any, fmt: str, status: int) -> list[dict[str, Any]]:
    if fmt == "json":
        return json_body(response, schemas.ERRORS, status)
    return xml_body(response, "errors", schemas.ERRORS, status)


@pytest.fixture
def back_office(region: dict) -> tuple[str, Any]:
    """A key of the Kreis's back-office system, acting as its integration account."""
    account = staff(region["kreis"], Role.DISPATCHER, email="fachverfahren@lk-test.de")
    key, raw = api_key_issue(name="Fachverfahren Landkreis")
    key.acts_as = account
    key.save()
    return raw, account


# --- citizens' apps: public comments -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_citizen_app_update_is_a_public_comment(
    client: Client, region: dict, api_key: str, fmt: str
) -> None:
    report = make_report(region["muell"])
    response = post_update(
        client,
        fmt,
        api_key=api_key,
        service_request_id=str(report.pk),
        status="FIXED",  # a citizen's app cannot close our report
        media_url="https://fms.example.org/photo/1.jpeg",
    )
    item = answer(response, fmt)
    event = ReportEvent.objects.get(pk=int(item["update_id"]))
    assert (event.report_id, event.kind, event.is_public) == (report.pk, "comment", True)
    assert event.note == "Der Müll liegt immer noch da."
    assert event.actor is None
    report.refresh_from_db()
    assert report.status == Status.NEW
    stored = RequestUpdate.objects.get()
    assert (stored.client_update_id, stored.status, stored.event_id) == ("fms-1", "FIXED", event.pk)
    assert stored.media_url == "https://fms.example.org/photo/1.jpeg"
    # the contact data of the commenter is not kept, and never shown
    assert b"max@example.org" not in client.get(URL.format(fmt=fmt)).content

    # … and GET servicerequestupdates lists it like every public entry
    listed = client.get(URL.format(fmt="json")).json()
    assert [(u["update_id"], u["status"], u["description"]) for u in listed] == [
        (item["update_id"], "open", "Der Müll liegt immer noch da.")
    ]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_repeated_update_id_creates_nothing_new(
    client: Client, region: dict, api_key: str, fmt: str
) -> None:
    report = make_report(region["muell"])
    first = answer(post_update(client, fmt, api_key=api_key, service_request_id=report.pk), fmt)
    again = answer(
        post_update(
            client, fmt, api_key=api_key, service_request_id=report.pk, description="anders"
        ),
        fmt,
    )
    assert again == first
    assert ReportEvent.objects.filter(report=report, kind="comment").count() == 1
    assert RequestUpdate.objects.count() == 1
    # the same client id from another client is another update
    _, other = api_key_issue(name="Andere App")
    third = answer(post_update(client, fmt, api_key=other, service_request_id=report.pk), fmt)
    assert third != first
    assert ReportEvent.objects.filter(report=report, kind="comment").count() == 2


def test_citizen_app_may_comment_only_public_or_its_own_requests(
    client: Client, region: dict, api_key: str
) -> None:
    unconfirmed = make_report(region["muell"], confirmed=False)
    response = post_update(client, "json", api_key=api_key, service_request_id=unconfirmed.pk)
    assert errors(response, "json", 404)[0]["code"] == 404
    # one it filed itself (not yet confirmed by the citizen) it may comment on
    filed = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "wilder-muell",
            "lat": "53.05",
            "long": "10.05",
            "description": "Reifen im Graben",
            "email": "b@example.org",
        },
    ).json()[0]
    response = post_update(
        client, "json", api_key=api_key, service_request_id=filed["service_request_id"]
    )
    assert answer(response, "json")["update_id"]


# --- back-office systems: the workflow -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_back_office_status_moves_the_workflow(
    client: Client, region: dict, back_office: tuple[str, Any], fmt: str
) -> None:
    raw, account = back_office
    report = make_report(region["muell"])
    item = answer(
        post_update(
            client,
            fmt,
            api_key=raw,
            service_request_id=report.pk,
            update_id="bo-1",
            status="IN_PROGRESS",
            description="Kolonne ist unterwegs.",
        ),
        fmt,
    )
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    # new → planned → in_progress, each step through the staff services, in the account's name
    steps = list(
        ReportEvent.objects.filter(report=report, kind="status").values_list(
            "from_status", "to_status", "actor_id", "note"
        )
    )
    assert steps == [
        ("new", "planned", account.pk, ""),
        ("planned", "in_progress", account.pk, "Kolonne ist unterwegs."),
    ]
    assert item["update_id"] == str(ReportEvent.objects.filter(report=report).latest("id").pk)

    answer(
        post_update(
            client, fmt, api_key=raw, service_request_id=report.pk, update_id="bo-2", status="FIXED"
        ),
        fmt,
    )
    report.refresh_from_db()
    assert report.status == Status.DONE
    listed = client.get(URL.format(fmt="json"), {"service_request_id": report.pk}).json()
    assert [u["status"] for u in listed] == ["action_scheduled", "in_progress", "fixed"]


def test_back_office_statuses(client: Client, region: dict, back_office: tuple[str, Any]) -> None:
    raw, _account = back_office
    counter = iter(range(100))

    def send(report: Report, status: str, description: str = "Text") -> Any:
        return post_update(
            client,
            "json",
            api_key=raw,
            service_request_id=report.pk,
            update_id=f"u{next(counter)}",
            status=status,
            description=description,
        )

    report = make_report(region["muell"])
    assert send(report, "INVESTIGATING").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    assert send(report, "ACTION_SCHEDULED").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.PLANNED
    # a comment without a status change
    assert send(report, "OPEN", "Termin nächste Woche").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.PLANNED
    assert report.events.filter(kind="comment", note="Termin nächste Woche").exists()
    # backwards is not a workflow edge: the spec's 400 with our message, nothing stored
    before = report.events.count()
    refused = errors(send(report, "INVESTIGATING"), "json", 400)
    assert "in Prüfung" in refused[0]["description"]
    assert report.events.count() == before
    # closed, then reopened by OPEN
    assert send(report, "CLOSED", "").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.DONE
    assert send(report, "OPEN", "Doch nicht erledigt").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    # no further action: rejected with the description as the public reason
    assert send(report, "NO_FURTHER_ACTION", "Privatgrund").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert report.events.filter(kind="status", to_status="rejected", note="Privatgrund").exists()
    # nothing to record: no status change (it is closed already) and no text
    assert errors(send(report, "CLOSED", ""), "json", 400)[0]["description"].startswith(
        "description"
    )
    # reopened and on to the scheduled work in one update
    assert send(report, "ACTION_SCHEDULED", "Wird doch gemacht").status_code == 200
    report.refresh_from_db()
    assert report.status == Status.PLANNED
    assert list(
        report.events.filter(kind="status").order_by("-id").values_list("to_status", flat=True)[:2]
    ) == ["planned", "in_review"]


def test_back_office_uses_its_own_ids_and_only_its_reports(
    client: Client, region: dict, back_office: tuple[str, Any]
) -> None:
    raw, _account = back_office
    ours = make_report(region["muell"])
    endpoint = OutboundEndpoint.objects.create(
        authority=region["kreis"], url="http://127.0.0.1:9/open311/v2/"
    )
    OutboundDelivery.objects.create(
        endpoint=endpoint, report=ours, sent_at=timezone.now(), remote_id="KR-2026-17"
    )
    response = post_update(
        client, "json", api_key=raw, service_request_id="KR-2026-17", status="ACTION_SCHEDULED"
    )
    assert response.status_code == 200
    ours.refresh_from_db()
    assert ours.status == Status.PLANNED
    # a Gemeinde's report is not the Kreis's business: not found, as for any staff member
    laterne = make_report(region["laterne"])
    assert laterne.authority == region["gemeinde_a"]
    response = post_update(
        client, "json", api_key=raw, service_request_id=laterne.pk, update_id="x2"
    )
    assert errors(response, "json", 404)[0]["code"] == 404


def test_back_office_account_without_the_role_gets_403(client: Client, region: dict) -> None:
    planner = staff(region["kreis"], Role.PLANNER)
    key, raw = api_key_issue(name="Nur lesen")
    key.acts_as = planner
    key.save()
    report = make_report(region["muell"])
    response = post_update(client, "xml", api_key=raw, service_request_id=report.pk)
    assert errors(response, "xml", 403)[0]["code"] == 403
    assert not RequestUpdate.objects.exists()


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("fields", "status", "text"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "falsch"}, 403, "api_key"),
        ({"service_request_id": None}, 400, "service_request_id"),
        ({"update_id": None}, 400, "update_id"),
        ({"update_id": "x" * 101}, 400, "update_id"),
        ({"status": None}, 400, "status"),
        ({"status": "ERLEDIGT"}, 400, "status"),
        ({"updated_datetime": None}, 400, "updated_datetime"),
        ({"updated_datetime": "gestern"}, 400, "updated_datetime"),
        ({"description": "x" * 5001}, 400, "description"),
        ({"description": ""}, 400, "description"),
        ({"media_url": "ftp://example.org/a.jpg"}, 400, "media_url"),
        ({"service_request_id": "999999"}, 404, "999999"),
        ({"service_request_id": "abc"}, 404, "abc"),
        ({"jurisdiction_id": "nirgends"}, 404, "jurisdiction_id"),
        ({"jurisdiction_id": "gemeinde-b"}, 404, "service_request_id"),
    ],
)
def test_update_errors(
    client: Client,
    region: dict,
    api_key: str,
    fmt: str,
    fields: dict[str, Any],
    status: int,
    text: str,
) -> None:
    report = make_report(region["muell"])  # in Gemeinde A
    data = {"api_key": api_key, "service_request_id": str(report.pk), **fields}
    found = errors(post_update(client, fmt, **data), fmt, status)
    assert found[0]["code"] == status
    assert any(text in e["description"] for e in found), found
    assert not RequestUpdate.objects.exists()
    assert not ReportEvent.objects.filter(kind="comment").exists()


def test_revoked_key_and_lower_case_status(client: Client, region: dict, api_key: str) -> None:
    report = make_report(region["muell"])
    response = post_update(
        client, "json", api_key=api_key, service_request_id=report.pk, status="open"
    )
    assert response.status_code == 200  # FixMyStreet sends upper case; lower case is fine too
    api_key_revoke(ApiKey.objects.get())
    response = post_update(
        client, "json", api_key=api_key, service_request_id=report.pk, update_id="2"
    )
    assert errors(response, "json", 403)[0]["code"] == 403


@pytest.mark.django_db(transaction=True)
def test_the_same_update_posted_twice_at_once_is_stored_once(region: dict, api_key: str) -> None:
    """FixMyStreet retries while the first POST is still running: the unique row makes the
    second one wait and answer with the first one's entry."""
    import threading

    from django.db import connection

    from tracker.open311.services import api_key_authenticate
    from tracker.open311.updates import UpdateSubmission, open311_update_post

    report = make_report(region["muell"])
    key = api_key_authenticate(api_key)
    assert key is not None
    submission = UpdateSubmission(
        service_request_id=str(report.pk), update_id="fms-77", status="OPEN", description="Hallo"
    )
    barrier = threading.Barrier(2)
    answers: list[int | None] = []

    def post() -> None:
        try:
            barrier.wait()
            record, _created = open311_update_post(submission, api_key=key)
            answers.append(record.event_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2 and answers[0] == answers[1] is not None
    assert ReportEvent.objects.filter(report=report, kind="comment").count() == 1
    assert RequestUpdate.objects.count() == 1
