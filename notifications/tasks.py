"""Celery tasks of the notifications app. They take ids (docs/architecture.md, conv. 5).

Services do not call these: they queue the event BY NAME with outbox.enqueue_on_commit, and the
outbox delivers the row through the handler registered for that name (notifications.handlers).
The event tasks below are the same work for a direct call (they store the row with the same
key, so it still happens once); the rest are beat tasks.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.utils import timezone

from outbox import delivery
from outbox.queue import run_now

from . import alerts, emails


@shared_task(name="notifications.report_received", acks_late=True, ignore_result=True)
def report_received(report_id: int) -> str:
    return run_now("notifications.report_received", report_id)


@shared_task(name="notifications.report_confirmed", acks_late=True, ignore_result=True)
def report_confirmed(report_id: int) -> str:
    return run_now("notifications.report_confirmed", report_id)


@shared_task(name="notifications.report_updated", acks_late=True, ignore_result=True)
def report_updated(event_id: int) -> str:
    return run_now("notifications.report_updated", event_id)


@shared_task(name="notifications.report_forwarded", acks_late=True, ignore_result=True)
def report_forwarded(event_id: int) -> str:
    return run_now("notifications.report_forwarded", event_id)


# ---------------------------------------------------------------------------- beat tasks


def _deliver_all(ids: Iterable[int]) -> int:
    return sum(1 for message_id in ids if delivery.deliver(message_id) == "sent")


@shared_task(name="notifications.overdue_digest", acks_late=True, ignore_result=True)
def overdue_digest() -> int:
    """Beat, daily: each authority and team gets one mail with its overdue reports."""
    return _deliver_all(emails.queue_overdue_digests(timezone.localdate()))


@shared_task(name="notifications.area_alert_digest", acks_late=True, ignore_result=True)
def area_alert_digest() -> int:
    """Beat, daily: the digests of the daily area alerts."""
    return _deliver_all(alerts.queue_daily_digests(timezone.localdate()))
