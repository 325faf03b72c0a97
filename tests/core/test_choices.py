"""Choice labels kept per field and language (core/choices.py): the label of the language
active when it is shown, also after another language was shown first; a value that is not
one of the choices shown as it is, as Django does."""

from __future__ import annotations

from django.utils import translation

from tracker.models import Report, ReportEvent
from tracker.statuses import Status


def test_labels_follow_the_active_language() -> None:
    report = Report(status=Status.IN_PROGRESS)
    with translation.override("de"):
        assert report.get_status_display() == "in Arbeit"
    with translation.override("en"):
        assert report.get_status_display() == "in progress"
    with translation.override("de"):
        assert report.get_status_display() == "in Arbeit"


def test_a_value_outside_the_choices_is_shown_as_it_is() -> None:
    event = ReportEvent(kind="kein-solcher-eintrag", from_status="", to_status=Status.NEW)
    with translation.override("de"):
        assert event.get_kind_display() == "kein-solcher-eintrag"
        assert event.get_from_status_display() == ""
        assert event.get_to_status_display() == str(Status.NEW.label)
