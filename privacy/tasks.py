"""Celery tasks of privacy, called by name (config.settings CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="privacy.apply_retention")
def apply_retention() -> dict[str, dict[str, int]]:
    """Nightly: every registered retention job, in batches; the counts are logged."""
    return retention.run_all()
