"""Scheduled re-sync of the catalogue from the configured XZuFi export (XZUFI_SOURCE_URL, e.g.
a state editorial system's or the PVOG's); beat runs it (config/settings/base.py). The run and
its change summary are logged as an ImportRun (admin: "XZuFi-Importe")."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .xzufi.source import ImportFailed, run_import

logger = logging.getLogger(__name__)


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
