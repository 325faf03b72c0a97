"""Citizens' Open311 updates where the authority publishes comments only after review: the
comment is stored but not public (not in GET servicerequestupdates, not on the report page, no
mail to followers) until a dispatcher publishes it; rejected, it never becomes public."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role
from outbox.models import OutboxMessage
from tests.factories import staff
from tracker.models import ModerationSettings, Report, ReportEvent
from tracker.open311.models import RequestUpdate

from .conftest import make_report
from .test_update_post import URL, answer, post_update

pytestmark = pytest.mark.django_db


def _review_mode(report: Report) -> None:
    ModerationSettings.objects.create(
        authority_id=report.authority_id,
        citizen_comments=ModerationSettings.Comments.AFTER_REVIEW,
    )


def _listed(client: Client) -> list[str]:
    return [u["description"] for u in client.get(URL.format(fmt="json")).json()]


def test_comment_waits_for_review_until_published(
    client: Client, region: dict, api_key: str
) -> None:
    report = make_report(region["muell"])
    _review_mode(report)
    item = answer(
        post_update(client, "json", api_key=api_key, service_request_id=report.pk), "json"
    )
    event = ReportEvent.objects.get(pk=int(item["update_id"]))
    assert (event.is_public, event.review) == (False, "pending")
    assert RequestUpdate.objects.get().event_id == event.pk
    assert _listed(client) == []
    assert (
        "Der Müll liegt immer noch da."
        not in client.get(f"/meldungen/{report.pk}/").content.decode()
    )
    assert not OutboxMessage.objects.filter(kind="notifications.report_updated").exists()

    # the staff queue shows it as waiting, for the authority's staff only
    dispatcher = staff(report.authority, Role.DISPATCHER, email="dispo@lk-test.de")
    staff_client = Client()
    staff_client.force_login(dispatcher)
    queue = staff_client.get("/arbeit/?moderation=kommentare&status=alle").content.decode()
    assert "1 Kommentar wartet auf Prüfung" in queue
    assert f"/arbeit/meldungen/{report.pk}/" in queue
    api = staff_client.get("/api/v1/staff/reports?moderation=comments").json()
    assert [f["id"] for f in api["features"]] == [report.pk]
    assert api["features"][0]["properties"]["moderation"]["comments_waiting"] == 1

    response = staff_client.post(
        f"/arbeit/meldungen/{report.pk}/comment-review/", {"comment": event.pk, "publish": "1"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.is_public, event.review) == (True, "")
    assert _listed(client) == ["Der Müll liegt immer noch da."]
    assert (
        "Der Müll liegt immer noch da." in client.get(f"/meldungen/{report.pk}/").content.decode()
    )
    # the reporter and followers hear about it now: queued in the outbox with the publication
    queued = OutboxMessage.objects.filter(kind="notifications.report_updated")
    assert queued.count() == 1
    assert staff_client.get("/api/v1/staff/reports?moderation=comments").json()["count"] == 0


def test_rejected_comment_never_becomes_public(client: Client, region: dict, api_key: str) -> None:
    report = make_report(region["muell"])
    _review_mode(report)
    item = answer(
        post_update(client, "json", api_key=api_key, service_request_id=report.pk), "json"
    )
    dispatcher = staff(report.authority, Role.DISPATCHER, email="dispo@lk-test.de")
    staff_client = Client()
    staff_client.force_login(dispatcher)
    response = staff_client.post(
        f"/api/v1/staff/reports/{report.pk}/comment-review",
        {"comment": int(item["update_id"]), "publish": False},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    history = response.json()["properties"]["history"]
    assert [e["review"] for e in history if e["kind"] == "comment"] == ["rejected"]
    assert _listed(client) == []
    # deciding twice is refused with a reason
    again = staff_client.post(
        f"/api/v1/staff/reports/{report.pk}/comment-review",
        {"comment": int(item["update_id"]), "publish": True},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "wartet nicht" in again.content.decode()


def test_immediate_mode_is_the_default(client: Client, region: dict, api_key: str) -> None:
    report = make_report(region["muell"])
    answer(post_update(client, "json", api_key=api_key, service_request_id=report.pk), "json")
    assert _listed(client) == ["Der Müll liegt immer noch da."]
    # unreviewed text from apps is not mailed to the reporter (as before moderation existed)
    assert not OutboxMessage.objects.filter(kind="notifications.report_updated").exists()
