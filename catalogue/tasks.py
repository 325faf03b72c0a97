"""Celery's autodiscovery imports `<app>.tasks`; the catalogue's mail tasks live in the
notifications app (notifications/catalogue_tasks.py) and are registered by this import."""

from notifications.catalogue_tasks import (
    application_message,
    application_received,
    application_updated,
)

__all__ = ["application_message", "application_received", "application_updated"]
