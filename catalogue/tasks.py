"""Beat tasks of the catalogue, called by name (config/settings, CELERY_BEAT_SCHEDULE).

* `catalogue.reconcile_payments`: reads back open online payments (XBezahldienste).
* `catalogue.xzufi_resync`: re-imports the catalogue from the configured XZuFi export
  (XZUFI_SOURCE_URL, e.g. a state editorial system's or the PVOG's); the run and its change
  summary are logged as an ImportRun (admin: "XZuFi-Importe").
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .epayment import payments_reconcile
from .xzufi.source import ImportFailed, run_import

logger = logging.getLogger(__name__)


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


@shared_task(name="catalogue.xzufi_resync", ignore_result=True)
def xzufi_resync() -> None:
    source = settings.XZUFI_SOURCE_URL
    if not source:
        return
    try:
        run_import(source, commit=True)
    except ImportFailed:
        # Logged and stored by run_import; the next scheduled run tries again.
        logger.warning("XZuFi re-sync from %s failed; next try at the next schedule", source)
