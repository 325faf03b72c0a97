"""Changes made on the road and sent later (issue 16, crews offline): a change carrying the
version it was based on is applied only if nobody changed the report meanwhile; otherwise the
staff API answers 409 with a German message and the current report, and nothing is changed.
Without a version everything works as before."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tracker import services
from tracker.models import Photo, Report, ReportEvent, Status
from tracker.staff import actions
from tracker.staff.versions import VersionConflict, clean_version, report_version

from .fixtures import World, jpeg

pytestmark = pytest.mark.django_db

API = "/api/v1/staff"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def planned_for_crew(world: World) -> Report:
    report = world.report()
    services.report_assign(report, team=world.team, user=world.crew, by=world.dispatcher)
    return Report.objects.get(pk=report.pk)


def test_queue_and_detail_carry_the_version(world: World) -> None:
    report = planned_for_crew(world)
    client = client_for(world.crew)
    (feature,) = client.get(f"{API}/reports").json()["features"]
    assert feature["properties"]["version"] == report_version(report)
    detail = client.get(f"{API}/reports/{report.pk}")
    assert detail.json()["properties"]["version"] == report_version(report)
    assert detail["ETag"] == f'"{report_version(report)}"'


def test_change_based_on_the_current_version_is_applied_and_returns_the_new_one(
    world: World,
) -> None:
    report = planned_for_crew(world)
    client = client_for(world.crew)
    response = post(
        client,
        f"{API}/reports/{report.pk}/transition",
        {"status": "in_progress", "expected_version": report_version(report)},
    )
    assert response.status_code == 200, response.content
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.status == Status.IN_PROGRESS
    assert (
        response.json()["properties"]["version"] == report_version(fresh) != report_version(report)
    )
    # The next queued change is based on the version the first one returned (If-Match works too).
    photo = client.post(
        f"{API}/reports/{report.pk}/photo",
        {"photo": jpeg(), "expected_version": response.json()["properties"]["version"]},
    )
    assert photo.status_code == 200, photo.content
    close = post(
        client,
        f"{API}/reports/{report.pk}/transition",
        {"status": "done", "note": "Geflickt"},
        HTTP_IF_MATCH=f'"{photo.json()["properties"]["version"]}"',
    )
    assert close.status_code == 200, close.content
    assert Report.objects.get(pk=report.pk).status == Status.DONE


def test_stale_change_is_refused_with_409_both_versions_and_nothing_changes(
    world: World,
) -> None:
    report = planned_for_crew(world)
    seen = report_version(report)
    # Meanwhile the dispatcher rejects it.
    services.report_reject(report, reason="Privatgrund", by=world.dispatcher)
    events_before = ReportEvent.objects.filter(report=report).count()
    client = client_for(world.crew)
    response = post(
        client,
        f"{API}/reports/{report.pk}/transition",
        {"status": "in_progress", "note": "Vor Ort", "expected_version": seen},
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert "wurde inzwischen geändert" in body["detail"]
    assert "Status jetzt: abgelehnt" in body["detail"]
    assert body["code"] == "conflict"
    assert body["expected_version"] == seen
    assert body["current_version"] == report_version(Report.objects.get(pk=report.pk))
    assert body["current"]["properties"]["status"] == "rejected"
    assert body["current"]["id"] == report.pk
    assert ReportEvent.objects.filter(report=report).count() == events_before
    # A stale photo is not stored either.
    photo = client.post(
        f"{API}/reports/{report.pk}/photo", {"photo": jpeg(), "expected_version": seen}
    )
    assert photo.status_code == 409
    assert not Photo.objects.filter(report=report, kind=Photo.Kind.AFTER).exists()
    # A stale note neither.
    note = post(client, f"{API}/reports/{report.pk}/note", {"text": "x", "expected_version": seen})
    assert note.status_code == 409
    assert Report.objects.get(pk=report.pk).status == Status.REJECTED


def test_without_a_version_changes_work_as_before(world: World) -> None:
    report = planned_for_crew(world)
    services.report_add_note(report, by=world.dispatcher, text="Bitte bald")
    response = post(
        client_for(world.crew), f"{API}/reports/{report.pk}/transition", {"status": "in_progress"}
    )
    assert response.status_code == 200
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_action_layer_checks_the_version_under_the_lock(world: World) -> None:
    report = planned_for_crew(world)
    with pytest.raises(VersionConflict):
        actions.perform("note", report, by=world.crew, expected_version="1", text="x", public=False)
    actions.perform(
        "note",
        report,
        by=world.crew,
        expected_version=report_version(report),
        text="ok",
        public=False,
    )
    assert report.events.filter(note="ok").exists()
    assert clean_version('W/"123"') == "123" and clean_version("") is None


def test_page_forms_without_a_version_still_work(world: World) -> None:
    report = planned_for_crew(world)
    response = client_for(world.crew).post(
        f"/arbeit/meldungen/{report.pk}/status/", {"transition": "start", "note": ""}
    )
    assert response.status_code in (200, 302)
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
