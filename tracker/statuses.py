"""The workflow states of a report (transitions: tracker.workflow)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Workflow states. The allowed transitions are in tracker.workflow; every change goes
    through a service function in tracker.services and writes a ReportEvent."""

    NEW = "new", _("neu")
    IN_REVIEW = "in_review", _("in Prüfung")
    PLANNED = "planned", _("angenommen / geplant")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")
    REJECTED = "rejected", _("abgelehnt")
    DUPLICATE = "duplicate", _("Duplikat")
    FORWARDED = "forwarded", _("weitergeleitet")


OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW, Status.PLANNED, Status.IN_PROGRESS, Status.FORWARDED)

__all__ = ["OPEN_STATUSES", "Status"]
