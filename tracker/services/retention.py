"""The tracker's retention jobs (registered with privacy.retention in TrackerConfig.ready):
closed reports lose their contact data after one period and are anonymised after another.
The period comes from the category (if set there), else the authority, else the portal;
"closed" is the time of the latest change to done, rejected or duplicate. Reports under a
legal hold are never touched."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from privacy.models import RecordType
from privacy.retention import batches, cutoff, due_q, held_ids

from ..models import Category, Report, ReportEvent, Status
from .erasure import anonymise_reports, erase_contact_and_supporters

logger = logging.getLogger(__name__)

CLOSED_STATUSES = (Status.DONE, Status.REJECTED, Status.DUPLICATE)
HOLD_KIND = "report"


def with_closed_at(queryset: QuerySet[Report]) -> QuerySet[Report]:
    """Closed reports with `closed_at`: the latest event that closed them (else updated_at)."""
    last_close = (
        ReportEvent.objects.filter(report_id=OuterRef("pk"), to_status__in=CLOSED_STATUSES)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return queryset.filter(status__in=CLOSED_STATUSES).annotate(
        closed_at=Coalesce(Subquery(last_close, output_field=DateTimeField()), F("updated_at"))
    )


def due_reports(record_type: str, category_field: str, now: datetime) -> QuerySet[Report]:
    """Closed reports whose period of `record_type` has ended (not under a legal hold)."""
    overrides = dict(
        Category.objects.filter(**{f"{category_field}__isnull": False}).values_list(
            "pk", category_field
        )
    )
    q = ~Q(category_id__in=list(overrides)) & due_q(record_type, now, since="closed_at")
    for category_id, months in overrides.items():
        q |= Q(category_id=category_id, closed_at__lt=cutoff(now, months))
    return with_closed_at(Report.objects.all()).filter(q).exclude(pk__in=held_ids(HOLD_KIND))


def _run(queryset: QuerySet[Report], apply: Callable[[list[int]], int], batch_size: int) -> int:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return sum(apply(batch) for batch in batches(ids, batch_size))


def erase_contact_due(now: datetime, batch_size: int) -> dict[str, int]:
    due = due_reports(RecordType.REPORT_CONTACT, "contact_retention_months", now)
    count = _run(
        due.filter(contact_erased_at__isnull=True), erase_contact_and_supporters, batch_size
    )
    return {"report_contact_erased": count}


def anonymise_due(now: datetime, batch_size: int) -> dict[str, int]:
    due = due_reports(RecordType.REPORT, "anonymise_after_months", now)
    count = _run(due.filter(anonymised_at__isnull=True), anonymise_reports, batch_size)
    return {"report_anonymised": count}
