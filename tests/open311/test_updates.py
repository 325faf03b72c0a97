"""FixMyStreet's servicerequestupdates extension (GET) from public history entries, and
expected_datetime from the workflow's due date."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tracker.models import Report, ReportEvent, Status

from . import schemas
from .conftest import json_body, make_report, xml_body

pytestmark = pytest.mark.django_db


def updates(client: Client, fmt: str, status: int = 200, **params: str) -> Any:
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", params)
    if status != 200:
        if fmt == "json":
            return json_body(response, schemas.ERRORS, status)
        return xml_body(response, "errors", schemas.ERRORS, status)
    if fmt == "json":
        return json_body(response, schemas.UPDATES)
    return xml_body(response, "service_request_updates", schemas.UPDATES)


def change_status(report: Report, to: str, note: str = "", **fields: Any) -> ReportEvent:
    event = ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.STATUS,
        from_status=report.status,
        to_status=to,
        note=note,
        **fields,
    )
    Report.objects.filter(pk=report.pk).update(status=to)
    report.status = to
    return event


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_public_updates_with_fixmystreet_statuses(client: Client, region: dict, fmt: str) -> None:
    report = make_report(region["muell"])
    planned = change_status(report, Status.PLANNED, "Abholung ist beauftragt")
    comment = ReportEvent.objects.create(
        report=report, kind=ReportEvent.Kind.COMMENT, note="Termin: Dienstag"
    )
    ReportEvent.objects.create(
        report=report, kind=ReportEvent.Kind.NOTE, note="intern: Bauhof fragen", is_public=False
    )
    done = change_status(report, Status.DONE, "")
    hidden = make_report(region["muell"], confirmed=False)
    change_status(hidden, Status.DONE, "nicht öffentlich: unbestätigt")

    data = updates(client, fmt)
    assert [u["update_id"] for u in data] == [str(planned.pk), str(comment.pk), str(done.pk)]
    assert {u["service_request_id"] for u in data} == {str(report.pk)}
    assert [u["status"] for u in data] == ["action_scheduled", "action_scheduled", "fixed"]
    assert [u["external_status_code"] for u in data] == ["planned", "planned", "done"]
    assert data[0]["description"] == "Abholung ist beauftragt"
    assert b"intern" not in client.get(f"/open311/v2/servicerequestupdates.{fmt}").content


def test_updates_window_ids_and_jurisdiction(client: Client, region: dict) -> None:
    west = make_report(region["muell"], 10.05)
    east = make_report(region["muell"], 10.15)
    old = change_status(west, Status.IN_REVIEW, "alt")
    ReportEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    new_west = change_status(west, Status.IN_PROGRESS, "läuft")
    new_east = change_status(east, Status.REJECTED, "kein Müll gefunden")

    def ids(**params: str) -> list[str]:
        return [u["update_id"] for u in updates(client, "json", 200, **params)]

    assert ids() == [str(old.pk), str(new_west.pk), str(new_east.pk)]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(start_date=since) == [str(new_west.pk), str(new_east.pk)]
    assert ids(service_request_id=str(east.pk)) == [str(new_east.pk)]
    assert ids(jurisdiction_id="gemeinde-a") == [str(old.pk), str(new_west.pk)]
    assert updates(client, "json", service_request_id=str(east.pk))[0]["status"] == (
        "no_further_action"
    )


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"start_date": "neulich"}, 400),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"}, 400),
        ({"jurisdiction_id": "nirgends"}, 404),
    ],
)
def test_update_errors(client: Client, region: dict, fmt: str, params: dict, status: int) -> None:
    found = updates(client, fmt, status, **params)
    assert found[0]["code"] == status


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_expected_datetime_is_the_due_date_of_open_requests(
    client: Client, region: dict, fmt: str
) -> None:
    report = make_report(region["muell"])
    due = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    Report.objects.filter(pk=report.pk).update(due_at=due)
    response = client.get(f"/open311/v2/requests/{report.pk}.{fmt}")
    if fmt == "json":
        item = json_body(response, schemas.SERVICE_REQUESTS)[0]
    else:
        item = xml_body(response, "service_requests", schemas.SERVICE_REQUESTS)[0]
        assert list(item)[list(item).index("updated_datetime") + 1] == "expected_datetime"
    assert datetime.fromisoformat(item["expected_datetime"]) == due
    Report.objects.filter(pk=report.pk).update(status=Status.DONE)
    closed = client.get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert "expected_datetime" not in closed


def test_update_list_is_one_query(
    client: Client, region: dict, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        change_status(make_report(region["muell"]), Status.IN_PROGRESS, "läuft")
    with django_assert_max_num_queries(1):
        assert len(client.get("/open311/v2/servicerequestupdates.json").json()) == 3
