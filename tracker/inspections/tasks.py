"""Celery tasks of the Streckenkontrolle: the ledger's sealer (tracker.inspections.ledger)."""

from __future__ import annotations

from celery import shared_task

from . import ledger


@shared_task(name=ledger.SEAL_TASK, ignore_result=True)
def seal_ledger() -> int:
    """Requested after every commit that wrote a history row (coalesced), and by beat as the
    safety net: seal every unsealed ledger entry in id order."""
    return ledger.seal_queued_run()
