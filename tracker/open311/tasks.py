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
    if wait is None:
        return
    if self.request.is_eager:
        # Run in-process (tests, CELERY_TASK_ALWAYS_EAGER): there is no broker to hold the
        # countdown, and raising Retry would roll back the logged attempt in the caller's
        # transaction. The delivery stays "retrying" with its next_attempt_at.
        return
    raise self.retry(countdown=wait.total_seconds())
