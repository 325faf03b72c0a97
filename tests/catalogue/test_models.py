"""Catalogue models on their own: no import of tracker, yet the same status vocabulary."""

from __future__ import annotations

from django.utils import translation

from catalogue.models import ApplicationStatus
from tracker.models import Status


def test_application_statuses_read_like_report_statuses() -> None:
    """Same values and labels as the report states (German and English), so "Meine Anliegen"
    shows reports and applications with one set of words."""
    for language in ("de", "en"):
        with translation.override(language):
            for status in ApplicationStatus:
                assert status.value in Status.values
                assert str(status.label) == str(Status(status.value).label)
