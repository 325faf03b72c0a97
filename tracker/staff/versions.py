"""Report versions for changes made on the road (offline) and sent later.

A report's version is its `updated_at` (every service that changes a report saves it or
bumps it in the same transaction), written as microseconds since the epoch: an opaque
string for clients. A change sent with the version it was based on (`expected_version` in
the body or an `If-Match` header) is applied only if the report is still at that version;
otherwise `VersionConflict` (409 in the staff API) and nothing is changed. Without a version
a change is applied as always.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

from tracker.models import Report

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def report_version(report: Report) -> str:
    """The version of a report as clients see it ("1733330000123456")."""
    return str((report.updated_at - EPOCH) // timedelta(microseconds=1))


def clean_version(raw: object) -> str | None:
    """A version from a request: digits (an `If-Match` value may be quoted or weak), or None
    when none was sent. Anything else can never match and is a conflict like a stale one."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    return text or None


class VersionConflict(Exception):
    """The report changed since the version the change was based on."""

    def __init__(self, report: Report, expected: str) -> None:
        self.report = report
        self.expected = expected
        self.current = report_version(report)
        super().__init__(
            _(
                "Die Meldung %(ref)s wurde inzwischen geändert (Status jetzt: %(status)s). "
                "Ihre Änderung wurde nicht übernommen: Bitte prüfen Sie den aktuellen Stand "
                "und wenden Sie Ihre Änderung erneut an oder verwerfen Sie sie."
            )
            % {"ref": report.reference, "status": report.get_status_display()}
        )
