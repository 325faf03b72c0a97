"""Retention: which period applies, which records are held, and the registry of the jobs that
apply the periods (each app owns its records and registers its jobs in its ready()).

A job is `job(now, batch_size) -> dict[str, int]` (counts by what was done); the nightly task
`privacy.apply_retention` runs every registered job and logs the counts. Jobs find their due
records with `due_q(record_type, now, ...)` and skip `held_ids(kind)`.
"""

from __future__ import annotations

import calendar
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from .models import DEFAULT_MONTHS, LegalHold, RetentionPolicy

logger = logging.getLogger(__name__)

Job = Callable[[datetime, int], dict[str, int]]
_JOBS: dict[str, Job] = {}

BATCH_SIZE = 500


def register_job(key: str, job: Job) -> None:
    """Register (or replace) a retention job under `key`."""
    _JOBS[key] = job


def jobs() -> dict[str, Job]:
    return dict(_JOBS)


def cutoff(now: datetime, months: int) -> datetime:
    """`now` minus whole calendar months (the 31st becomes the month's last day)."""
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    days = calendar.monthrange(year, month)[1]
    return now.replace(year=year, month=month, day=min(now.day, days))


def periods(record_type: str) -> tuple[int, dict[int, int]]:
    """The portal-wide period and the authorities' own periods (authority id → months)."""
    default = DEFAULT_MONTHS[record_type]
    own: dict[int, int] = {}
    for authority_id, months in RetentionPolicy.objects.filter(record_type=record_type).values_list(
        "authority_id", "months"
    ):
        if authority_id is None:
            default = months
        else:
            own[authority_id] = months
    return default, own


def period_for(record_type: str, authority_id: int | None) -> int:
    default, own = periods(record_type)
    return own.get(authority_id, default) if authority_id is not None else default


def due_q(
    record_type: str,
    now: datetime,
    *,
    since: str,
    authority_field: str = "authority_id",
) -> Q:
    """Records whose period has ended: `since` (a field or annotation) lies before now minus
    the period of the record's authority (its own, else the portal's, else the default)."""
    default, own = periods(record_type)
    by_months: dict[int, list[int]] = defaultdict(list)
    for authority_id, months in own.items():
        by_months[months].append(authority_id)
    q = Q(**{f"{since}__lt": cutoff(now, default)}) & ~Q(**{f"{authority_field}__in": list(own)})
    for months, ids in by_months.items():
        q |= Q(**{f"{since}__lt": cutoff(now, months), f"{authority_field}__in": ids})
    return q


def held_ids(kind: str) -> set[int]:
    """Ids of records of `kind` under an active legal hold."""
    return set(
        LegalHold.objects.filter(kind=kind, released_at__isnull=True).values_list(
            "object_id", flat=True
        )
    )


def batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_all(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, dict[str, int]]:
    """Run every registered job; one failing job does not stop the others."""
    now = now or timezone.now()
    results: dict[str, dict[str, int]] = {}
    for key, job in sorted(_JOBS.items()):
        try:
            results[key] = job(now, batch_size)
        except Exception:
            logger.exception("retention job %s failed", key)
            results[key] = {"failed": 1}
        else:
            logger.info("retention %s: %s", key, results[key])
    return results
