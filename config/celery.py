"""The Celery application. Broker and result backend come from REDIS_URL via settings.

Database connections in the worker: Celery's Django fixup closes every connection before and
after each task unless `CELERY_DB_REUSE_MAX` is set, so each task opened a new PostgreSQL
session (a new server process, its catalogue caches cold, the connection's setup queries):
the outbox's deliveries spent a sixth of their time connecting (bench/soak.py, profiled).
The settings set `CELERY_DB_REUSE_MAX` high, and the worker treats a task as Django treats a
request instead: `close_old_connections` before and after it, which keeps a connection for
CONN_MAX_AGE seconds, checks its health before first use (CONN_HEALTH_CHECKS) and drops it
after an error. Eager tasks (tests, `CELERY_TASK_ALWAYS_EAGER`) run inside the caller's
transaction and are left alone, as the fixup leaves them.
"""

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("maengelmelder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender: Any = None, **_: Any) -> None:
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
