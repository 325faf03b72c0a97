"""Outbox, webhooks, unsubscribe, area alerts, digests and unread markers, with tasks run eagerly
(the real-worker tests are in test_delivery.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from notifications import alerts, selectors, services, tasks, webhooks
from notifications.models import AreaAlert, EmailOptOut, WebhookEndpoint
from outbox import delivery as outbox
from outbox import enqueue_on_commit
from outbox.models import OutboxMessage
from tests.factories import UserFactory
from tests.tracker.staff.fixtures import World, make_world
from tracker import services as tracker_services
from tracker.models import Report, Status

from .conftest import Hook

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def test_the_same_event_is_stored_and_sent_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report = world.report()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    event = report.events.get(kind="status")
    assert [m.to for m in mail.outbox] == [["buerger@example.org"]]
    # A redelivered task, a second enqueue, a repeated fan-out: nothing more is sent.
    tasks.report_updated(event.pk)
    tasks.report_updated.delay(event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("notifications.report_updated", event.pk)
    for row in OutboxMessage.objects.filter(status="sent"):
        assert outbox.deliver(row.pk) == "skipped"
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(kind="notifications.report_updated").count() == 1


def test_nothing_is_stored_for_a_rolled_back_change(world: World) -> None:
    from django.db import transaction

    report = world.report()
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit("notifications.report_updated", 999999)
        raise RuntimeError("rollback")
    assert OutboxMessage.objects.count() == before
    assert report.pk


def test_smtp_failure_backs_off_and_a_later_attempt_sends_once(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any, monkeypatch: Any
) -> None:
    report = world.report()
    OutboxMessage.objects.update(status="cancelled")  # only the status change matters here
    mail.outbox.clear()
    calls = {"n": 0}
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def flaky(self: Any, fail_silently: bool = False) -> int:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise ConnectionRefusedError(111, "Connection refused")
        return original(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    row = OutboxMessage.objects.get(kind=OutboxMessage.EMAIL, idempotency_key__contains="updated")
    assert row.status == "pending" and row.attempts == 1
    first_wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)
    assert outbox.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=50)  # doubled
    # Not due yet: the dry run reports it, --commit without --all leaves it alone.
    call_command("deliver_outbox", "--commit")
    assert mail.outbox == []
    call_command("deliver_outbox", "--commit", "--all")
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3
    assert [m.to for m in mail.outbox] == [["buerger@example.org"]]
    call_command("deliver_outbox", "--commit", "--all")
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(world: World, settings: Any) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    message_id = outbox.store("webhook", "x", {"body": "{}"})
    assert outbox.deliver(message_id) == "cancelled"  # no endpoint: nothing to do
    broken = outbox.store("no.such.task", "y", {"args": []})
    OutboxMessage.objects.filter(pk=broken).update(kind=OutboxMessage.EMAIL)
    outbox.deliver(broken)
    outbox.deliver(broken)
    assert OutboxMessage.objects.get(pk=broken).status == "failed"


def test_publish_due_republishes_pending_rows(world: World) -> None:
    report = world.report()  # the on_commit publish never ran in this test transaction
    row = OutboxMessage.objects.get(idempotency_key=f"notifications.report_received:[{report.pk}]")
    assert row.status == "pending"
    assert outbox.publish_due() == 0  # within its grace period
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    mail.outbox.clear()
    assert outbox.publish_due() == 1  # eager here: delivered at once
    assert sorted(m.to[0] for m in mail.outbox) == ["buerger@example.org", "kreis@example.org"]


def test_webhook_signed_retried_and_logged(
    world: World, webhook_server: Hook, django_capture_on_commit_callbacks: Any
) -> None:
    webhook_server.fail_first = 1
    kreis_hook = WebhookEndpoint.objects.create(authority=world.kreis, url=webhook_server.url)
    WebhookEndpoint.objects.create(
        authority=world.gemeinde, url=webhook_server.url + "/gemeinde", events=["report.created"]
    )
    report = world.report()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_add_note(report, by=world.dispatcher, text="KREIS-INTERN")
        tracker_services.report_transition(
            report, Status.IN_REVIEW, by=world.dispatcher, note="Wird geprüft."
        )
    # The first attempt got a 500: logged, pending, retried later with the same body.
    delivery = OutboxMessage.objects.get(kind="webhook", target_id=kreis_hook.pk)
    assert delivery.status == "pending"
    assert delivery.response_status == 500 and delivery.attempts == 1
    assert outbox.deliver(delivery.pk) == "sent"
    delivery.refresh_from_db()
    # The log keeps the status and the answer's size, never its body (core.net, SSRF).
    assert delivery.response_status == 200 and delivery.response_size == len(b'{"ok": true}')
    assert delivery.response_excerpt == ""
    assert len(webhook_server.requests) == 2
    first, second = webhook_server.requests
    assert first["body"] == second["body"]
    headers = second["headers"]
    secret = kreis_hook.secret
    assert webhooks.verify(
        secret,
        headers["X-Maengelmelder-Timestamp"],
        second["body"],
        headers["X-Maengelmelder-Signature"],
    )
    assert not webhooks.verify(
        "wrong",
        headers["X-Maengelmelder-Timestamp"],
        second["body"],
        headers["X-Maengelmelder-Signature"],
    )
    body = json.loads(second["body"])
    assert body["event"] == "report.status"
    assert body["change"]["to_status"] == "in_review"
    assert body["change"]["note"] == "Wird geprüft."
    raw = second["body"].decode()
    assert "KREIS-INTERN" not in raw
    assert "buerger@example.org" not in raw and "Mustermann" not in raw  # no contact data
    # The Gemeinde's endpoint only wants new reports, and this one is not theirs.
    assert not OutboxMessage.objects.filter(
        target_id__in=WebhookEndpoint.objects.filter(authority=world.gemeinde).values("pk")
    ).exists()


def test_forward_webhook_carries_the_note_only_to_the_parties(
    world: World, webhook_server: Hook, django_capture_on_commit_callbacks: Any
) -> None:
    other = make_other_authority()
    WebhookEndpoint.objects.create(authority=world.gemeinde, url=webhook_server.url)
    WebhookEndpoint.objects.create(authority=other, url=webhook_server.url + "/other")
    report = world.report()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_forward_to_authority(
            report, authority=world.gemeinde, by=world.dispatcher, note="Ihre Straße"
        )
    bodies = [json.loads(r["body"]) for r in webhook_server.requests]
    assert [b["event"] for b in bodies] == ["report.forwarded"]
    assert bodies[0]["change"]["to_authority"] == world.gemeinde.slug
    assert not OutboxMessage.objects.filter(
        target_id__in=WebhookEndpoint.objects.filter(authority=other).values("pk")
    ).exists()


def make_other_authority() -> Any:
    from tests.factories import AuthorityFactory

    return AuthorityFactory.create(name="Nachbargemeinde")


def test_unsubscribe_link_get_confirms_post_unsubscribes(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report = world.report()
    tracker_services.report_support(report, email="nachbarin@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    neighbour = next(m for m in mail.outbox if m.to == ["nachbarin@example.org"])
    url = neighbour.extra_headers["List-Unsubscribe"].strip("<>")
    assert neighbour.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in neighbour.body
    path = url.replace("http://127.0.0.1:8000", "")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert "nachbarin@example.org" in page.content.decode()
    assert not EmailOptOut.objects.exists()  # GET (link scanners) changes nothing
    # The mail client's RFC 8058 one-click POST, without a CSRF token.
    done = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    assert EmailOptOut.objects.filter(
        email="nachbarin@example.org", scope=f"report:{report.pk}"
    ).exists()
    assert client.post(path).status_code == 200  # twice is fine
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    assert [m.to for m in mail.outbox] == [["buerger@example.org"]]
    assert client.get(path[:-5] + "xxxx/").status_code == 400  # forged token


def test_area_alerts_inside_and_outside(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    inside = UserFactory.create(email="innen@example.org", preferred_language="en")
    outside = UserFactory.create(email="aussen@example.org")
    gemeinde_fan = UserFactory.create(email="gemeinde-fan@example.org")
    other_category = UserFactory.create(email="andere@example.org")
    daily = UserFactory.create(email="taeglich@example.org")
    alerts.alert_create(
        user=inside, name="Zuhause", point=Point(10.1005, 53.05, srid=4326), radius_m=200
    )
    alerts.alert_create(
        user=outside, name="Weit weg", point=Point(10.15, 53.08, srid=4326), radius_m=200
    )
    alerts.alert_create(user=gemeinde_fan, name="", authority=world.gemeinde)
    from tests.factories import CategoryFactory

    alerts.alert_create(
        user=other_category,
        name="Licht",
        authority=world.gemeinde,
        category=CategoryFactory.create(),
    )
    alerts.alert_create(
        user=daily, name="Täglich", authority=world.gemeinde, frequency=AreaAlert.Frequency.DAILY
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = world.report(confirmed=False)
    assert not any(
        m.to[0] in {"innen@example.org", "gemeinde-fan@example.org"} for m in mail.outbox
    )  # not public yet
    Report.objects.filter(pk=report.pk).update(confirmed_at=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_confirm(report)
    assert sorted(m.to[0] for m in mail.outbox) == ["gemeinde-fan@example.org", "innen@example.org"]
    english = next(m for m in mail.outbox if m.to == ["innen@example.org"])
    assert "new report" in english.subject.lower()
    assert f"/meldungen/{report.pk}/" in english.body
    # Daily digest: one mail, once per day.
    mail.outbox.clear()
    tasks.area_alert_digest()
    tasks.area_alert_digest()
    assert [m.to for m in mail.outbox] == [["taeglich@example.org"]]


def test_alert_page_creates_a_circle_alert(world: World, client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    page = client.get("/konto/benachrichtigungen/")
    assert page.status_code == 200
    response = client.post(
        "/konto/benachrichtigungen/",
        {"lat": "53.05", "lon": "10.1", "radius_m": "300", "frequency": "daily"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    alert = AreaAlert.objects.get(user=user)
    assert alert.frequency == "daily" and alert.radius_m == 300
    assert alert.area.contains(Point(10.1, 53.05, srid=4326))
    assert client.post("/konto/benachrichtigungen/", {"frequency": "instant"}).status_code == 400
    client.post(f"/konto/benachrichtigungen/{alert.pk}/loeschen/")
    assert not AreaAlert.objects.exists()


def test_overdue_digest_per_authority_once_a_day(world: World) -> None:
    report = world.report()
    Report.objects.filter(pk=report.pk).update(
        due_at=timezone.now() - timedelta(days=1), assigned_team=world.team
    )
    world.team.email = "team@example.org"
    world.team.save()
    mail.outbox.clear()
    tasks.overdue_digest()
    tasks.overdue_digest()
    assert sorted(m.to[0] for m in mail.outbox) == ["kreis@example.org", "team@example.org"]
    assert report.reference in mail.outbox[0].body


def test_unread_updates_for_citizens_and_staff(world: World, client: Client) -> None:
    citizen = UserFactory.create(email="buerger@example.org")
    report = world.report()
    Report.objects.filter(pk=report.pk).update(reporter=citizen)
    tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    tracker_services.report_add_note(report, by=world.dispatcher, text="intern")
    assert selectors.unread_counts(citizen, [report.pk]) == {report.pk: 1}
    assert selectors.unread_counts(world.crew, [report.pk], staff=True) == {report.pk: 2}
    assert selectors.unread_counts(world.gemeinde_dispatcher, [report.pk], staff=True) == {
        report.pk: 1  # the Kreis' internal note is not theirs
    }
    client.force_login(citizen)
    page = client.get("/konto/anliegen/")
    assert "1 neue Aktualisierung" in page.content.decode()
    assert client.get(f"/meldungen/{report.pk}/").status_code == 200
    assert selectors.unread_counts(citizen, [report.pk]) == {report.pk: 0}
    assert "neue Aktualisierung" not in client.get("/konto/anliegen/").content.decode()
    services.report_mark_seen(world.crew, report.pk)
    assert selectors.unread_counts(world.crew, [report.pk], staff=True) == {report.pk: 0}


def test_follow_a_report(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    follower = UserFactory.create(email="folgt@example.org", preferred_language="en")
    report = world.report()
    client.force_login(follower)
    assert (
        client.post(f"/konto/benachrichtigungen/meldungen/{report.pk}/folgen/").status_code == 302
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    assert sorted(m.to[0] for m in mail.outbox) == ["buerger@example.org", "folgt@example.org"]
    english = next(m for m in mail.outbox if m.to == ["folgt@example.org"])
    assert "report" in english.subject and "Meldung" not in english.subject


def test_account_deletion_erases_queued_mail_and_alerts(world: World) -> None:
    user = UserFactory.create(email="weg@example.org")
    alerts.alert_create(user=user, name="", authority=world.gemeinde)
    report = world.report()
    services.report_follow(report, user=user)
    tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    outbox.deliver(OutboxMessage.objects.get(kind="notifications.report_updated").pk)
    assert OutboxMessage.objects.filter(payload__to="weg@example.org").exists()
    account_services.account_delete(user)
    assert not OutboxMessage.objects.filter(payload__to="weg@example.org").exists()
    assert not AreaAlert.objects.exists()


def test_teams_of_the_category_get_new_reports(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.team.email = "nord@example.org"
    world.team.save()
    world.team.categories.add(world.category)
    world.other_team.email = "sued@example.org"  # another category: no mail
    world.other_team.save()
    world.gemeinde_team.email = "bauhof@example.org"
    world.gemeinde_team.save()
    world.gemeinde_team.categories.add(world.category)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = world.report()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "buerger@example.org",
        "kreis@example.org",
        "nord@example.org",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_forward_to_authority(
            report, authority=world.gemeinde, by=world.dispatcher, note="Ihre Straße"
        )
    staff_mails = sorted(m.to[0] for m in mail.outbox if "Ihre Straße" in m.body)
    assert staff_mails == ["bauhof@example.org", "gemeinde@example.org"]


def test_webhook_log_in_the_admin_is_scoped_to_the_authority(world: World) -> None:
    kreis_hook = WebhookEndpoint.objects.create(
        authority=world.kreis, url="https://kreis.example.org/hook"
    )
    gemeinde_hook = WebhookEndpoint.objects.create(
        authority=world.gemeinde, url="https://moor.example.org/hook"
    )
    own = outbox.store(
        "webhook",
        "k1",
        {"body": "{}", "event": "report.created"},
        target=("webhook", kreis_hook.pk),
    )
    foreign = outbox.store(
        "webhook",
        "g1",
        {"body": "{}", "event": "report.created"},
        target=("webhook", gemeinde_hook.pk),
    )
    OutboxMessage.objects.filter(pk=own).update(response_status=502, response_excerpt="Bad GW")
    client = Client()
    client.force_login(world.admin)  # admin of the Kreis
    listing = client.get("/admin/notifications/webhookdelivery/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "kreis.example.org" in body and "moor.example.org" not in body
    assert client.get(f"/admin/notifications/webhookdelivery/{own}/change/").status_code == 200
    assert client.get(f"/admin/notifications/webhookdelivery/{foreign}/change/").status_code in (
        302,
        403,
        404,
    )
    endpoints = client.get("/admin/notifications/webhookendpoint/").content.decode()
    assert "kreis.example.org" in endpoints and "moor.example.org" not in endpoints
    # The whole outbox (all authorities' mails) is for superusers only.
    assert client.get("/admin/outbox/outboxmessage/").status_code == 403


def test_done_mail_links_the_public_after_photo(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.tracker.staff.fixtures import jpeg

    report = world.report()
    tracker_services.report_add_photo(report, by=world.dispatcher, file=jpeg(), public=True)
    tracker_services.report_transition(report, Status.PLANNED, by=world.dispatcher)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tracker_services.report_close(report, by=world.dispatcher, note="Repariert.")
    done = next(m for m in mail.outbox if m.to == ["buerger@example.org"])
    photo = report.photos.get(kind="after")
    assert f"http://127.0.0.1:8000{photo.image.url}" in done.body


def test_work_for_a_deleted_report_is_cancelled_not_retried(world: World) -> None:
    message_id = outbox.store(
        "notifications.report_received",
        "notifications.report_received:[999999]",
        {"args": [999999]},
    )
    assert outbox.deliver(message_id) == "cancelled"
    assert OutboxMessage.objects.get(pk=message_id).status == "cancelled"


def test_staff_queue_shows_unread_updates(world: World, client: Client) -> None:
    report = world.report()
    tracker_services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    Report.objects.filter(pk=report.pk).update(assigned_team=world.team)  # the crew's queue
    client.force_login(world.crew)
    queue = client.get("/arbeit/").content.decode()
    assert "1 neue Aktualisierung" in queue  # the dispatcher's change, unseen by the crew
    assert client.get(f"/arbeit/meldungen/{report.pk}/").status_code == 200
    assert "neue Aktualisierung" not in client.get("/arbeit/").content.decode()
