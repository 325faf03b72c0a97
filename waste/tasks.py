"""Beat task of the Abfallkalender (config/settings/base.py, CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="waste.queue_reminders", acks_late=True, ignore_result=True)
def queue_reminders() -> int:
    """Daily in the evening: reminders for tomorrow's pickups (one outbox event per district)."""
    return services.queue_reminders(timezone.localdate())
