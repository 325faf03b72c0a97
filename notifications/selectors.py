"""Reads for the pages: unread updates per report for "Meine Anliegen" and the staff queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import (
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Membership, User
from tracker.models import Report, ReportEvent

from .models import ReportView

# What a citizen counts as an update of their report.
CITIZEN_KINDS = (
    ReportEvent.Kind.STATUS,
    ReportEvent.Kind.COMMENT,
    ReportEvent.Kind.FORWARDED,
)

M = TypeVar("M", bound=Model)


def _unread_events(user: User, *, staff: bool) -> QuerySet[ReportEvent]:
    seen = ReportView.objects.filter(user_id=user.pk, report_id=OuterRef("report_id")).values(
        "seen_at"
    )[:1]
    events = (
        ReportEvent.objects.filter(report_id=OuterRef("pk"))
        .exclude(actor_id=user.pk)
        .annotate(seen_at=Subquery(seen))
        .filter(created_at__gt=Coalesce(F("seen_at"), F("report__created_at")))
    )
    if staff:
        # Internal entries only of the user's own authorities (like tracker.selectors).
        authority_ids = Membership.objects.filter(user_id=user.pk).values("authority_id")
        return events.exclude(kind=ReportEvent.Kind.CREATED).filter(
            Q(is_public=True)
            | Q(authority_id__in=authority_ids)
            | Q(to_authority_id__in=authority_ids)
        )
    return events.filter(is_public=True, kind__in=CITIZEN_KINDS)


def with_unread(reports: QuerySet[Report], user: User, *, staff: bool = False) -> QuerySet[Report]:
    """Annotate `unread_updates`: history entries since the user last opened the report
    (since it was filed if never), not made by the user. One subquery, no per-row queries."""
    if not user.is_authenticated:
        return reports.annotate(unread_updates=Value(0, output_field=IntegerField()))
    counted = (
        _unread_events(user, staff=staff)
        .order_by()
        .values("report_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return reports.annotate(
        unread_updates=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    )


def unread_counts(user: User, report_ids: Iterable[int], *, staff: bool = False) -> dict[int, int]:
    """{report id: unread updates} for a page of reports (one query)."""
    ids = list(report_ids)
    if not ids or not user.is_authenticated:
        return {}
    reports = with_unread(Report.objects.filter(pk__in=ids), user, staff=staff)
    return {report.pk: int(getattr(report, "unread_updates", 0)) for report in reports.only("pk")}
