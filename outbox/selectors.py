"""Reads of the outbox for monitoring (config.health): what is due and not yet delivered."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min
from django.utils import timezone

from .models import OutboxMessage


def due_backlog(now: datetime | None = None) -> tuple[int, float | None]:
    """Pending rows whose time has come, and the age in seconds of the one due longest
    (None when nothing is due). Reads the partial index the beat task's scan uses."""
    now = now or timezone.now()
    row = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).aggregate(count=Count("id"), oldest=Min("next_attempt_at"))
    oldest = row["oldest"]
    return row["count"], (now - oldest).total_seconds() if oldest else None
