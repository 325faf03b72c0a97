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


@shared_task(
    name="notifications.report_updated",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def report_updated(event_id: int) -> None:
    """Tell the reporter and supporters about a public change of their report."""
    emails.send_report_updated(event_id)


@shared_task(
    name="notifications.report_forwarded",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def report_forwarded(event_id: int) -> None:
    """Tell the authority a report was forwarded to that it has a new report."""
    emails.send_report_forwarded(event_id)
