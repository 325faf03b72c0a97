"""Bulk actions: each report on its own (its own transaction), with a result per report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import error_text

from .. import permissions
from ..models import Report, Team
from .duplicates import report_mark_duplicate
from .handling import report_assign, report_set_priority
from .workflow import report_transition


@dataclass(frozen=True)
class BulkResult:
    report_id: int
    ok: bool
    error: str = ""


def _bulk(
    report_ids: Iterable[int], *, by: User, apply: Callable[[Report], object]
) -> list[BulkResult]:
    ids = list(dict.fromkeys(report_ids))
    reports = Report.objects.in_bulk(ids)
    results: list[BulkResult] = []
    for pk in ids:
        report = reports.get(pk)
        # Reports of other authorities are "not found", as in the API: no existence leak.
        if report is None or not permissions.can_view(by, report):
            results.append(BulkResult(pk, False, _("Meldung nicht gefunden.")))
            continue
        try:
            permissions.authorize(by, report, "bulk")
            apply(report)
        except (ValidationError, PermissionDenied) as exc:
            results.append(BulkResult(pk, False, error_text(exc) or _("Nicht erlaubt.")))
        else:
            results.append(BulkResult(pk, True))
    return results


def bulk_assign(
    report_ids: Iterable[int], *, team: Team | None = None, user: User | None = None, by: User
) -> list[BulkResult]:
    return _bulk(report_ids, by=by, apply=lambda r: report_assign(r, team=team, user=user, by=by))


def bulk_transition(
    report_ids: Iterable[int],
    to_status: str,
    *,
    by: User,
    note: str = "",
    public_note: bool = True,
) -> list[BulkResult]:
    return _bulk(
        report_ids,
        by=by,
        apply=lambda r: report_transition(r, to_status, by=by, note=note, public_note=public_note),
    )


def bulk_set_priority(report_ids: Iterable[int], *, priority: int, by: User) -> list[BulkResult]:
    return _bulk(
        report_ids, by=by, apply=lambda r: report_set_priority(r, priority=priority, by=by)
    )


def bulk_merge_duplicates(
    original: Report, duplicate_ids: Iterable[int], *, by: User, note: str = ""
) -> list[BulkResult]:
    """Merge several reports into `original` (each one as report_mark_duplicate)."""
    return _bulk(
        [pk for pk in duplicate_ids if pk != original.pk],
        by=by,
        apply=lambda r: report_mark_duplicate(r, original=original, by=by, note=note),
    )
