"""Celery beat keeps the planners' facts view fresh (see docs/planning.md)."""

from __future__ import annotations

from celery import shared_task

from .selectors import refresh_report_facts

# How often beat refreshes the view (config/settings/base.py CELERY_BEAT_SCHEDULE uses it).
REFRESH_SECONDS = 300


@shared_task(ignore_result=True)
def refresh_planning_facts() -> None:
    refresh_report_facts(concurrently=True)
