"""Settings for the real Celery worker of the ledger tests: the test settings, but tasks go
through Redis to this worker, which works on pytest-django's test database (committed data
only), and beat sweeps every two seconds."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["MM_TEST_DB_NAME"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["MM_TEST_QUEUE"]
CELERY_BEAT_SCHEDULE = {
    "inspections-seal-ledger": {"task": "inspections.seal_ledger", "schedule": 2.0},
}
