"""The access log: every staff read of a reporter's contact data, every export with personal
data and every admin change to it leaves one append-only row (privacy.AccessLogEntry).

Callers: tracker.staff (report page and API detail), tracker.admin (the report's admin page),
privacy.views (subject access exports made by staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .models import AccessLogEntry, RecordType
from .retention import due_q

VIEW = AccessLogEntry.Action.VIEW
EXPORT = AccessLogEntry.Action.EXPORT
CHANGE = AccessLogEntry.Action.CHANGE


def log_access(
    user: Any,
    *,
    action: str,
    channel: str,
    kind: str,
    object_id: int | None = None,
    reference: str = "",
    authority_id: int | None = None,
    fields: str = "",
    reason: str = "",
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_email=getattr(user, "email", "") or "",
        action=action,
        channel=channel,
        kind=kind,
        object_id=object_id,
        reference=reference[:40],
        authority_id=authority_id,
        fields=fields[:300],
        reason=reason[:500],
    )


def purge_expired(now: datetime, batch_size: int) -> dict[str, int]:
    """The access log's own retention (months after the entry); a queryset delete, since
    single rows refuse to be deleted."""
    q = due_q(RecordType.ACCESS_LOG, now, since="created_at")
    deleted = 0
    while True:
        ids = list(AccessLogEntry.objects.filter(q).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        deleted += AccessLogEntry.objects.filter(pk__in=ids).delete()[0]
    return {"access_log_deleted": deleted}
