"""The Celery application. Broker and result backend come from REDIS_URL via settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("maengelmelder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
