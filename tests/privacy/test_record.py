"""docs/privacy.md is the record of processing activities generated from the registry."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from privacy import record


def test_docs_privacy_md_is_up_to_date() -> None:
    path = Path(settings.BASE_DIR) / "docs" / "privacy.md"
    assert path.read_text(encoding="utf-8") == record.render(), (
        "docs/privacy.md is out of date: run `manage.py write_privacy_record`"
    )
    call_command("write_privacy_record", "--check")


def test_every_app_with_personal_data_is_in_the_record() -> None:
    models = {activity.model for activity in record.activities()}
    assert {
        "accounts.User",
        "tracker.Report",
        "tracker.Photo",
        "tracker.Support",
        "catalogue.Application",
        "catalogue.Message",
        "privacy.AccessLogEntry",
    } <= models
    text = record.render()
    assert "Kontaktdaten der meldenden Person | 6 |" in text
