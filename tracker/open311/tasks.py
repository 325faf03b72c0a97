"""Celery tasks of the Open311 app. They take ids and call into outbound.py (conv. 5)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import outbound


@shared_task(name="open311.deliver_report", bind=True, acks_late=True, max_retries=None)
def deliver_report(self: Any, delivery_id: int) -> None:
    """Send one report to an authority's Open311 endpoint; on connection errors and 5xx
    answers try again later (outbound.backoff), until outbound.MAX_ATTEMPTS."""
    wait = outbound.deliver(delivery_id)
    if wait is not None:
        raise self.retry(countdown=wait.total_seconds())
