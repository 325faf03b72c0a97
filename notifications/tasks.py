"""Celery tasks. They take ids and call into services/emails (docs/architecture.md, conv. 5)."""

from __future__ import annotations

from celery import shared_task

from . import emails


@shared_task(
    name="notifications.report_received",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def report_received(report_id: int) -> None:
    """Tell the citizen the report arrived (guests: with the confirmation link) and the
    routed authority that it has a new report."""
    emails.send_report_received(report_id)
