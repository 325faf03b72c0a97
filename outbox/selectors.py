"""Reads of the outbox: what is due and not yet delivered (the beat's publisher, monitoring)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from .models import OutboxMessage


def due(now: datetime | None = None) -> QuerySet[OutboxMessage]:
    """Pending rows whose (next) delivery time has come: the partial index's rows."""
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now or timezone.now()
    )


def due_backlog() -> tuple[int, datetime | None]:
    """How many rows are due, and since when the one due longest is (None: nothing due)."""
    row = due().aggregate(count=Count("id"), oldest=Min("next_attempt_at"))
    return row["count"], row["oldest"]
