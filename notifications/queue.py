"""Queueing Celery tasks without ever failing the request that caused them.

Services call `enqueue_on_commit(task, *ids)`: nothing is sent for a rolled-back change, and a
broker outage is logged instead of turning a stored report into a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> None:
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # broker unreachable; the request must still succeed
        logger.exception("could not queue %s%r", getattr(task, "name", task), args)


def enqueue_on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))
