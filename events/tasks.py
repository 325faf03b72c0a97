"""Beat task of the council sessions (config/settings/base.py, CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from .oparl.importer import sync_all


@shared_task(name="events.sync_oparl", acks_late=True, ignore_result=True)
def sync_oparl() -> int:
    """Every active OParl system, incrementally; returns the number of pages or objects
    skipped because of errors (each logged with its URL)."""
    return sum(len(summary.errors) for summary in sync_all())
