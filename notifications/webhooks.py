"""Webhooks: signed JSON POSTs to an authority's back-office system on report events.

Each delivery is an outbox row (kind "webhook") with the exact body that is signed and sent,
so a retry sends byte-for-byte the same request. Signature (docs/notifications.md):

    X-Maengelmelder-Timestamp: <unix seconds>
    X-Maengelmelder-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

The payload holds what the receiving authority's staff may see of the report, never contact
data, and never an internal note of another authority.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core import net
from outbox import delivery as outbox
from outbox.models import OutboxMessage
from outbox.registry import Cancelled, GiveUp
from tracker.models import Report, ReportEvent

from .links import public_report_url, staff_report_url
from .models import WebhookEndpoint

TIMEOUT_SECONDS = 10
USER_AGENT = "Maengelmelder-Webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(secret: str, timestamp: str, body: bytes, header: str, *, tolerance: int = 300) -> bool:
    """What a receiver does (also used by the tests): constant-time compare, fresh timestamp."""
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def _report_data(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "reference": report.reference,
        "status": report.status,
        "category": {"slug": report.category.slug, "name": report.category.name},
        "authority": {"slug": report.authority.slug, "name": report.authority.name},
        "location": {"type": "Point", "coordinates": [report.location.x, report.location.y]},
        "address": report.address,
        "description": report.description,
        "priority": report.priority,
        "created_at": report.created_at.isoformat(),
        "due_at": report.due_at.isoformat() if report.due_at else None,
        "confirmed": report.confirmed_at is not None,
        "public_url": public_report_url(report.pk),
        "staff_url": staff_report_url(report),
    }


def _event_data(event: ReportEvent | None, endpoint: WebhookEndpoint) -> dict[str, Any] | None:
    if event is None:
        return None
    # A note is included when it is public, or when it was written by / for this authority.
    own = endpoint.authority_id in {event.authority_id, event.to_authority_id}
    return {
        "id": event.pk,
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note if (event.is_public or own) else "",
        "from_authority": event.from_authority.slug if event.from_authority else None,
        "to_authority": event.to_authority.slug if event.to_authority else None,
        "created_at": event.created_at.isoformat(),
    }


def queue_for(
    parent: OutboxMessage,
    name: str,
    report: Report,
    authority_ids: Iterable[int],
    event: ReportEvent | None = None,
) -> list[int]:
    """One delivery row per active endpoint of the authorities that wants `name`."""
    ids: list[int] = []
    endpoints = WebhookEndpoint.objects.filter(
        authority_id__in=set(authority_ids), is_active=True
    ).order_by("pk")
    for endpoint in endpoints:
        if not endpoint.wants(name):
            continue
        key = f"webhook:{endpoint.pk}:{name}:{event.pk if event else report.pk}"
        body = {
            "id": key,
            "event": name,
            "sent_at": timezone.now().isoformat(),
            "report": _report_data(report),
            "change": _event_data(event, endpoint),
        }
        ids.append(
            outbox.store(
                OutboxMessage.WEBHOOK,
                key,
                {"body": json.dumps(body, ensure_ascii=False, sort_keys=True), "event": name},
                parent=parent,
                target=(OutboxMessage.WEBHOOK, endpoint.pk),
            )
        )
    return ids


class WebhookFailed(Exception):
    pass


def post(message: OutboxMessage) -> Iterable[int]:
    """The outbox handler of "webhook" rows (registered in NotificationsConfig.ready)."""
    endpoint = (
        WebhookEndpoint.objects.filter(pk=message.target_id).first()
        if message.target_id is not None
        else None
    )
    if endpoint is None or not endpoint.is_active:
        raise Cancelled("webhook removed or inactive")
    body = message.payload["body"].encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Maengelmelder-Event": message.payload.get("event", ""),
        "X-Maengelmelder-Delivery": message.idempotency_key,
        "X-Maengelmelder-Timestamp": timestamp,
        "X-Maengelmelder-Signature": signature(endpoint.secret, timestamp, body),
    }
    timeout = float(getattr(settings, "NOTIFICATIONS_WEBHOOK_TIMEOUT", TIMEOUT_SECONDS))
    try:
        answer = net.send(
            "POST", endpoint.url, data=body, headers=headers, timeout=(timeout, timeout)
        )
    except net.OutboundRefused as exc:  # the URL points inside: fixing it is the admin's job
        raise GiveUp(str(exc)) from exc
    except net.OutboundUnreachable as exc:  # refused, timeout, DNS: nothing answered
        message.response_status = None
        message.response_size = None
        raise WebhookFailed(_("nicht erreichbar")) from exc
    # Status and size only: the receiver's answer may hold anything, and authority admins
    # read this log (SSRF: the body of an internal service must never come back to them).
    message.response_status = answer.status
    message.response_size = answer.size
    message.response_excerpt = ""
    if 300 <= answer.status < 400:
        raise GiveUp(
            _(
                "HTTP %(status)s: Weiterleitungen werden nicht verfolgt; bitte die Ziel-URL "
                "eintragen."
            )
            % {"status": answer.status}
        )
    if not 200 <= answer.status < 300:
        raise WebhookFailed(f"HTTP {answer.status}")
    return ()
