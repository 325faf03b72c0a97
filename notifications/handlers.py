"""Outbox handlers of the report events: delivering an event row fans out into one row per
recipient (mail, notifications.emails) and per endpoint (webhook, notifications.webhooks),
each delivered once. Registered by name in NotificationsConfig.ready(); tracker services
queue them with outbox.enqueue_on_commit("notifications.report_received", report.pk)."""

from __future__ import annotations

from collections.abc import Iterable

from outbox.models import OutboxMessage
from tracker.models import Report, ReportEvent

from . import alerts, bulk_mail, emails, webhooks


def _arg(message: OutboxMessage) -> int:
    return int(message.payload["args"][0])


def received(message: OutboxMessage) -> Iterable[int]:
    """The citizen (guests: with the confirmation link), the routed authority, its webhooks,
    and area alerts if the report is public."""
    report_id = _arg(message)
    report = Report.objects.select_related("category", "authority").get(pk=report_id)
    return [
        *emails.fan_out_received(message, report_id),
        *webhooks.queue_for(message, "report.created", report, [report.authority_id]),
        *alerts.fan_out_instant(message, report_id),
    ]


def confirmed(message: OutboxMessage) -> Iterable[int]:
    """A guest confirmed the report: it is public now, so area alerts may fire."""
    return alerts.fan_out_instant(message, _arg(message))


def updated(message: OutboxMessage) -> Iterable[int]:
    """The reporter, supporters and followers hear about a public change; the authority's
    webhooks get status changes and public comments."""
    event_id = _arg(message)
    ids = bulk_mail.queue_many(message, emails.planned_updates(event_id))
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


def forwarded(message: OutboxMessage) -> Iterable[int]:
    """The authority a report was forwarded to has a new report; both get the webhook."""
    event_id = _arg(message)
    event = ReportEvent.objects.select_related(
        "report__category", "report__authority", "from_authority", "to_authority"
    ).get(pk=event_id)
    parties = [a for a in (event.from_authority_id, event.to_authority_id) if a is not None]
    return [
        *emails.fan_out_forwarded(message, event_id),
        *webhooks.queue_for(message, "report.forwarded", event.report, parties, event),
    ]
