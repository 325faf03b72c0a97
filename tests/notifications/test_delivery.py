"""Integration: a real Celery worker (with beat) against the real Redis, the test database and
an SMTP server on loopback. Exactly one mail per event and recipient, in the recipient's
language, with working links and without another authority's internal notes — also when SMTP
or Redis is down for a while."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from celery import current_app
from django.test import Client

from outbox import delivery as outbox
from outbox.models import OutboxMessage
from tests.tracker.staff.fixtures import World, make_world
from tracker import services
from tracker.models import Report, Status

from .conftest import SmtpSink, Worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True)]

URL = re.compile(r"https?://[^\s\"<>]+")


def file_report(client: Client, language: str = "de", email: str = "buerger@example.org") -> Any:
    return client.post(
        "/api/v1/reports",
        {
            "lat": "53.05",
            "lon": "10.1",
            "category": "schlagloch",
            "description": "Tiefes Schlagloch vor Hausnummer 3",
            "email": email,
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )


def links(text: str) -> list[str]:
    return URL.findall(text)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def settle(smtp: SmtpSink, seconds: float = 2.5) -> None:
    """Give a duplicate the chance to arrive (beat republishes every second)."""
    time.sleep(seconds)


@pytest.fixture
def world(transactional_db: None, smtp: SmtpSink) -> World:
    smtp.clear()
    return make_world()


def test_one_mail_per_event_and_recipient_in_their_language(
    world: World, celery_worker: Worker, smtp: SmtpSink, client: Client
) -> None:
    response = file_report(client, language="en")
    assert response.status_code == 201, response.content
    report = Report.objects.get(pk=response.json()["id"])
    assert report.language == "en"
    smtp.wait_for(2)
    services.report_support(report, email="nachbarin@example.org")
    services.report_confirm(report)
    report.refresh_from_db()

    services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)
    smtp.wait_for(4)
    services.report_add_note(report, by=world.dispatcher, text="KREIS-INTERN-4711")
    services.report_forward_to_authority(
        report,
        authority=world.gemeinde,
        by=world.dispatcher,
        note="Gemeindestraße, bitte übernehmen",
    )
    smtp.wait_for(7)
    services.report_transition(report, Status.PLANNED, by=world.gemeinde_dispatcher)
    services.report_close(report, by=world.gemeinde_dispatcher, note="Schlagloch verfüllt.")
    mails = smtp.wait_for(11)
    settle(smtp)
    mails = list(smtp.messages)

    # Exactly one per event and recipient: 11 in all, no (recipient, subject) twice.
    assert len(mails) == 11, [(m.to, m.subject) for m in mails]
    keys = [m.message["X-Maengelmelder-Id"] for m in mails]
    assert len(set(keys)) == 11
    citizen = smtp.to("buerger@example.org")
    neighbour = smtp.to("nachbarin@example.org")
    assert len(citizen) == 5  # received, in review, forwarded, planned, done
    assert len(neighbour) == 4
    assert len(smtp.to("kreis@example.org")) == 1
    assert len(smtp.to("gemeinde@example.org")) == 1

    # The guest reported in English: English mails; the authorities and guest supporter: German.
    assert citizen[0].subject.startswith("Please confirm your report")
    assert "resolved" in citizen[-1].subject
    assert "The status of your report" in citizen[-1].text
    assert "erledigt" in neighbour[-1].subject
    assert smtp.to("kreis@example.org")[0].subject.startswith("Neue Meldung")

    # Every mail: HTML and text, one-click unsubscribe headers (RFC 8058).
    for mail in mails:
        assert mail.html and mail.text
        assert str(mail.message["List-Unsubscribe"]).strip().startswith("<http")
        assert str(mail.message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"

    # No internal note of the Kreis reaches anyone, not even the Gemeinde it was forwarded to;
    # the forwarding note is for the Gemeinde only.
    assert not any("KREIS-INTERN-4711" in m.text + m.html for m in mails)
    gemeinde_mail = smtp.to("gemeinde@example.org")[0]
    assert "bitte übernehmen" in gemeinde_mail.text
    assert not any("bitte übernehmen" in m.text for m in citizen + neighbour)

    # The links work: tracking link (citizen), confirmation link, public page (supporter).
    tracking = [u for u in links(citizen[0].text) if "/verfolgen/" in u]
    assert tracking and client.get(path_of(tracking[0])).status_code == 200
    public = [u for u in links(neighbour[0].text) if "/meldungen/" in u]
    assert public and client.get(path_of(public[0])).status_code == 200
    assert report.tracking_token not in neighbour[0].text
    unsubscribe = path_of(str(neighbour[0].message["List-Unsubscribe"]).strip().strip("<>"))
    assert client.get(unsubscribe).status_code == 200

    # Everything in the outbox is sent, nothing pending or failed.
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_smtp_down_during_a_status_change_mail_arrives_once_after(
    world: World, celery_worker: Worker, smtp: SmtpSink
) -> None:
    report = world.report()  # confirmed guest report (received mails go out now)
    smtp.wait_for(2)
    smtp.clear()
    smtp.stop()
    try:
        services.report_transition(report, Status.IN_REVIEW, by=world.dispatcher)

        def failed_at_least_once() -> bool:
            return OutboxMessage.objects.filter(
                kind=OutboxMessage.EMAIL, attempts__gte=2, status=OutboxMessage.Status.PENDING
            ).exists()

        wait_until(failed_at_least_once, what="a failed delivery attempt")
        row = OutboxMessage.objects.get(kind=OutboxMessage.EMAIL, attempts__gte=2)
        assert "Connection refused" in row.last_error or "Errno" in row.last_error
        assert smtp.messages == []
    finally:
        smtp.start()  # the same port again
    mails = smtp.wait_for(1)
    settle(smtp, 4)
    mails = list(smtp.messages)
    assert [m.to for m in mails] == [["buerger@example.org"]]
    assert "in Prüfung" in mails[0].subject
    assert OutboxMessage.objects.get(pk=row.pk).status == OutboxMessage.Status.SENT


def test_redis_down_request_succeeds_and_the_outbox_delivers_later(
    world: World,
    celery_worker: Worker,
    smtp: SmtpSink,
    client: Client,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.NOTIFICATIONS_PUBLISH_GRACE_SECONDS = 15
    app = current_app
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app._pool = None
    app.amqp._producer_pool = None
    try:
        response = file_report(client)
        assert response.status_code == 201, response.content
        report_id = response.json()["id"]
        # The publish failed (logged, not raised); the row waits in the outbox.
        assert "could not publish" in caplog.text
        key = f"notifications.report_received:[{report_id}]"
        assert OutboxMessage.objects.get(idempotency_key=key).status == "pending"
        assert smtp.messages == []
        # While Redis is down, this process does not even try again for a while (breaker).
        started = time.monotonic()
        assert file_report(client, email="zweite@example.org").status_code == 201
        assert time.monotonic() - started < 2
    finally:
        app.conf.broker_url = saved
        app._pool = None
        app.amqp._producer_pool = None
        outbox.reset_circuit()
    # Redis is back: the worker's beat publishes the due row; both mails arrive, once each.
    smtp.wait_for(4)
    settle(smtp)
    assert sorted(m.to[0] for m in smtp.messages) == [
        "buerger@example.org",
        "kreis@example.org",
        "kreis@example.org",
        "zweite@example.org",
    ]
