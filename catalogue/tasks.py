"""Beat task of the catalogue, called by name (config/settings/base.py, CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from .epayment import payments_reconcile


@shared_task(name="catalogue.reconcile_payments", acks_late=True, ignore_result=True)
def reconcile_payments() -> dict[str, int]:
    """Read back open online payments: book late ones, note aborted and failed ones."""
    summary = payments_reconcile()
    return {
        "checked": summary.checked,
        "paid": summary.paid,
        "ended": summary.ended,
        "expired": summary.expired,
        "errors": len(summary.errors),
    }
