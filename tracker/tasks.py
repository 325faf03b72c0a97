"""Celery tasks of the tracker (beat)."""

from __future__ import annotations

from celery import shared_task

from .services import idempotency


@shared_task(name="tracker.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    """Beat, daily: forget idempotency keys after IDEMPOTENCY_KEY_RETENTION_DAYS."""
    return idempotency.purge_expired()
