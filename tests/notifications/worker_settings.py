"""Settings for the real Celery worker that the notification integration tests start: the test
settings, but tasks really go through Redis, mail really goes to the test's SMTP server on
loopback, and the database is pytest-django's test database (committed data only)."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["MM_TEST_DB_NAME"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["MM_TEST_QUEUE"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["MM_TEST_SMTP_PORT"])
EMAIL_TIMEOUT = 5
# Retry fast, so the outage tests take seconds, not minutes.
NOTIFICATIONS_RETRY_BASE_SECONDS = 1
NOTIFICATIONS_RETRY_MAX_SECONDS = 2
NOTIFICATIONS_PUBLISH_GRACE_SECONDS = 1
CELERY_BEAT_SCHEDULE = {
    "outbox-publish-due": {"task": "outbox.publish_due", "schedule": 1.0},
}
