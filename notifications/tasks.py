"""Celery tasks. They take ids and call into the outbox (docs/architecture.md, conv. 5).

Services queue the event tasks (`report_received`, `report_updated`, `report_forwarded`,
`report_confirmed`) with notifications.queue.enqueue_on_commit, which stores an outbox row in
their transaction and publishes `deliver_message(row id)` after the commit. Delivering an event
row fans out into one row per recipient (mail) and per endpoint (webhook), each delivered once.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.utils import timezone

from tracker.models import ReportEvent

from . import alerts, emails, outbox, queue, webhooks
from .models import OutboxMessage


def _arg(message: OutboxMessage) -> int:
    return int(message.payload["args"][0])


@shared_task(name="notifications.deliver_message", acks_late=True, ignore_result=True)
def deliver_message(message_id: int) -> str:
    """Deliver one outbox row. Never raises for delivery errors: the row records them and
    gets its next attempt (exponential backoff), which beat publishes when it is due."""
    return outbox.deliver(message_id)


@shared_task(name="notifications.publish_due", ignore_result=True)
def publish_due() -> int:
    """Beat (every 30 s): publish pending rows that are due (retries, Redis outages)."""
    return outbox.publish_due()


def _run_event(task_name: str, *args: int) -> str:
    """Called directly (not through the outbox), an event task stores its row the way
    enqueue_on_commit would and delivers it: the same key, so still only once."""
    message_id = outbox.store(task_name, queue._key(task_name, args), {"args": list(args)})
    return outbox.deliver(message_id)


# ---------------------------------------------------------------------------- event tasks


@shared_task(name="notifications.report_received", acks_late=True, ignore_result=True)
def report_received(report_id: int) -> str:
    """Tell the citizen the report arrived (guests: with the confirmation link), the routed
    authority that it has a new report, its webhooks, and area alerts if it is public."""
    return _run_event("notifications.report_received", report_id)


@outbox.handler("notifications.report_received")
def _received(message: OutboxMessage) -> Iterable[int]:
    report_id = _arg(message)
    from tracker.models import Report

    report = Report.objects.select_related("category", "authority").get(pk=report_id)
    return [
        *emails.fan_out_received(message, report_id),
        *webhooks.queue_for(message, "report.created", report, [report.authority_id]),
        *alerts.fan_out_instant(message, report_id),
    ]


@shared_task(name="notifications.report_confirmed", acks_late=True, ignore_result=True)
def report_confirmed(report_id: int) -> str:
    """A guest confirmed the report: it is public now, so area alerts may fire."""
    return _run_event("notifications.report_confirmed", report_id)


@outbox.handler("notifications.report_confirmed")
def _confirmed(message: OutboxMessage) -> Iterable[int]:
    return alerts.fan_out_instant(message, _arg(message))


@shared_task(name="notifications.report_updated", acks_late=True, ignore_result=True)
def report_updated(event_id: int) -> str:
    """Tell the reporter, supporters and followers about a public change of their report."""
    return _run_event("notifications.report_updated", event_id)


@outbox.handler("notifications.report_updated")
def _updated(message: OutboxMessage) -> Iterable[int]:
    event_id = _arg(message)
    ids = emails.fan_out_updated(message, event_id)
    event = ReportEvent.objects.select_related(
        "report__category", "report__authority", "from_authority", "to_authority"
    ).get(pk=event_id)
    # Forwarding has its own webhook event (report_forwarded, to both authorities).
    names = {ReportEvent.Kind.STATUS: "report.status", ReportEvent.Kind.COMMENT: "report.comment"}
    name = names.get(event.kind)  # type: ignore[call-overload]
    if name is not None and event.is_public:
        authority = event.authority_id or event.report.authority_id
        ids += webhooks.queue_for(message, name, event.report, [authority], event)
    return ids


@shared_task(name="notifications.report_forwarded", acks_late=True, ignore_result=True)
def report_forwarded(event_id: int) -> str:
    """Tell the authority a report was forwarded to that it has a new report."""
    return _run_event("notifications.report_forwarded", event_id)


@outbox.handler("notifications.report_forwarded")
def _forwarded(message: OutboxMessage) -> Iterable[int]:
    event_id = _arg(message)
    event = ReportEvent.objects.select_related(
        "report__category", "report__authority", "from_authority", "to_authority"
    ).get(pk=event_id)
    parties = [a for a in (event.from_authority_id, event.to_authority_id) if a is not None]
    return [
        *emails.fan_out_forwarded(message, event_id),
        *webhooks.queue_for(message, "report.forwarded", event.report, parties, event),
    ]


# ---------------------------------------------------------------------------- beat tasks


def _deliver_all(ids: Iterable[int]) -> int:
    return sum(1 for message_id in ids if outbox.deliver(message_id) == "sent")


@shared_task(name="notifications.overdue_digest", acks_late=True, ignore_result=True)
def overdue_digest() -> int:
    """Beat, daily: each authority and team gets one mail with its overdue reports."""
    return _deliver_all(emails.queue_overdue_digests(timezone.localdate()))


@shared_task(name="notifications.area_alert_digest", acks_late=True, ignore_result=True)
def area_alert_digest() -> int:
    """Beat, daily: the digests of the daily area alerts."""
    return _deliver_all(alerts.queue_daily_digests(timezone.localdate()))


@shared_task(name="notifications.purge_outbox", ignore_result=True)
def purge_outbox() -> int:
    """Beat, daily: delete sent rows after 30 days (they hold addresses and texts)."""
    return outbox.purge_sent()
