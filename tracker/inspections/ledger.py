"""The tamper-evident ledger: a SHA-256 hash chain over every history row.

Each `LedgerEntry` stores the hash of one row's content (a `ReportEvent` or an
`InspectionEvent`) and the hash of the previous entry. `verify()` recomputes both from the
rows as they are now: a row edited or deleted afterwards, an entry edited, removed or
reordered, breaks the chain at that entry.

Seal after commit (the Certificate-Transparency pattern: accepted now, merged within a
maximum delay). The entry is written in the transaction that writes the row, without a lock;
its place in the chain (seq, hashes) is assigned after the commit by the one sealer
(`seal()`, the Celery task `inspections.seal_ledger`, requested on commit and coalesced, plus
a beat sweep), which seals every unsealed entry in id order under one advisory lock. So no
report, status change or inspection waits for another one's commit; an entry is unsealed for
a few seconds normally, and `verify()` raises the alarm for entries unsealed longer than
LEDGER_SEAL_ALARM_SECONDS. See docs/inspections.md, "Ledger".

What is hashed is listed in CONTENT_FIELDS. Foreign keys that Django sets to NULL when a
person or team is deleted (actor, assignee, team) are not hashed; the acting person is kept
as `actor_label` in the entry itself (hashed there), so erasing an account neither breaks
the chain nor loses who acted for the authority.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from outbox.relay import request_task_on_commit
from tracker.models import ReportEvent

from .hashing import CONTENT_FIELDS, GENESIS, content_hash, entry_hash
from .models import InspectionEvent, LedgerEntry

# pg_advisory_xact_lock key: "MMLEDGER" as a number, one lock for the sealer.
LOCK_KEY = 0x4D4D4C4544474552 & 0x7FFFFFFFFFFFFFFF
SEAL_TASK = "inspections.seal_ledger"
# Set while a sealer run is queued and has not started: a burst of commits queues one run.
SEAL_FLAG = "inspections:ledger:seal-queued"
# The content hash of an entry whose row was gone when it was sealed (verify reports it).
MISSING_ROW = "-" * 64

MODELS: dict[str, type[Model]] = {
    LedgerEntry.Source.REPORT_EVENT: ReportEvent,
    LedgerEntry.Source.INSPECTION_EVENT: InspectionEvent,
}


def alarm_after() -> timedelta:
    """An entry unsealed for longer than this is an alarm (the sealer is not running)."""
    return timedelta(seconds=int(getattr(settings, "LEDGER_SEAL_ALARM_SECONDS", 300)))


def actor_label(actor: Any) -> str:
    """Staff by name and address; anyone else as a citizen (no personal data in the ledger)."""
    if actor is None:
        return ""
    if actor.is_superuser or Membership.objects.filter(user=actor).exists():
        name = actor.display_name or actor.get_full_name()
        return f"{name} <{actor.email}>" if name else actor.email
    return _("Bürger/in")


_APPEND_SQL = """
INSERT INTO {table} (source, row_id, actor_label, created_at) VALUES (%s, %s, %s, now())
"""


def append(source: str, row: Model, *, label: str) -> None:
    """Record one new row for the chain (called inside the row's transaction): one INSERT, no
    lock (as SQL: it runs for every history row, the ORM's create cost more than the insert).
    The sealer gives it its place in the chain after the commit."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(LedgerEntry._meta.db_table)
        cursor.execute(_APPEND_SQL.format(table=table), [source, row.pk, label])
    request_seal_on_commit()


_APPEND_BY_ID_SQL = """
INSERT INTO {table} (source, row_id, actor_label, created_at) VALUES (%s, {id}, %s, now())
"""


def report_event_part(event: ReportEvent, id_sql: str) -> tuple[str, list[Any]]:
    """tracker.history_sql part: the entry of a history row that intake writes in one SQL
    statement with its report (no post_save is sent for it); the same row as `append`."""
    request_seal_on_commit()
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    sql = _APPEND_BY_ID_SQL.format(table=table, id=id_sql)
    return sql, [LedgerEntry.Source.REPORT_EVENT, actor_label(event.actor)]


def request_seal_on_commit() -> None:
    """After the commit: have the sealer run soon. The task is published only when no run is
    queued yet (the flag), behind the outbox's circuit breaker (a dead broker costs no request
    seconds), in the same Redis round trip as the outbox's hand-over of the transaction
    (outbox.relay). Should Redis be down, the beat sweep seals instead."""
    timeout = int(getattr(settings, "LEDGER_SEAL_FLAG_SECONDS", 30))
    request_task_on_commit(SEAL_TASK, SEAL_FLAG, timeout)


def seal_queued_run() -> int:
    """The task's body: clear the flag first (so a commit from now on queues the next run),
    then seal everything committed so far."""
    cache.delete(SEAL_FLAG)
    return seal()


def chain_new_row(sender: type[Model], instance: Model, created: bool, **kwargs: Any) -> None:
    """post_save receiver for ReportEvent and InspectionEvent."""
    if not created or kwargs.get("raw"):
        return
    source = (
        LedgerEntry.Source.REPORT_EVENT
        if sender is ReportEvent
        else LedgerEntry.Source.INSPECTION_EVENT
    )
    append(source, instance, label=actor_label(getattr(instance, "actor", None)))


_SEAL_SQL = """
UPDATE {table} AS e
SET seq = s.seq, content_hash = s.content, prev_hash = s.prev, entry_hash = s.hash,
    sealed_at = %s
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[])
     AS s(id, seq, content, prev, hash)
WHERE e.id = s.id AND e.seq IS NULL
"""


def _seal_batch(batch: int) -> int:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        last = (
            LedgerEntry.objects.filter(seq__isnull=False)
            .order_by("-seq")
            .values_list("seq", "entry_hash")
            .first()
        )
        seq, prev = (int(last[0] or 0), last[1] or GENESIS) if last else (0, GENESIS)
        pending = list(LedgerEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
        if not pending:
            return 0
        rows = _rows(pending)
        columns: tuple[list[Any], ...] = ([], [], [], [], [])
        for entry in pending:
            row = rows.get((entry.source, entry.row_id))
            content = content_hash(entry.source, row) if row is not None else MISSING_ROW
            seq += 1
            link = entry_hash(entry.source, entry.row_id, content, entry.actor_label, prev)
            for column, value in zip(columns, (entry.pk, seq, content, prev, link), strict=True):
                column.append(value)
            prev = link
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(LedgerEntry._meta.db_table)
            cursor.execute(_SEAL_SQL.format(table=table), [timezone.now(), *columns])
        return len(pending)


def seal(batch: int = 1000) -> int:
    """Give every unsealed entry its place in the chain, in id order; returns how many.

    Each batch is one transaction under the advisory lock, so two sealers never interleave:
    positions have no gaps and no duplicates. An entry whose row is already gone is sealed
    with MISSING_ROW, so `verify()` reports the deletion at once."""
    sealed = 0
    while True:
        done = _seal_batch(batch)
        sealed += done
        if done < batch:
            return sealed


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain: ok, or the first broken entry and why; and the
    entries still waiting for the sealer (an alarm when one waits too long)."""

    checked: int
    broken_at: int | None = None  # the entry's position in the chain (seq)
    reason: str = ""
    head: str = GENESIS
    unchained: int = 0  # history rows without a ledger entry (written around the services)
    unsealed: int = 0  # entries waiting for the sealer
    overdue: int = 0  # of those, unsealed for longer than alarm_after()
    oldest_unsealed: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    @property
    def alarm(self) -> bool:
        return self.overdue > 0


def _entries(batch: int = 2000) -> Iterator[list[LedgerEntry]]:
    last = 0
    while True:
        chunk = list(
            LedgerEntry.objects.filter(seq__gt=last).order_by("seq")[:batch]  # sealed only
        )
        if not chunk:
            return
        yield chunk
        last = int(chunk[-1].seq or 0)


def _rows(chunk: Iterable[LedgerEntry]) -> dict[tuple[str, int], dict[str, Any]]:
    wanted: dict[str, list[int]] = {}
    for entry in chunk:
        wanted.setdefault(entry.source, []).append(entry.row_id)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for source, ids in wanted.items():
        model = MODELS[source]
        for values in model._default_manager.filter(pk__in=ids).values(*CONTENT_FIELDS[source]):
            rows[(source, values["id"])] = values
    return rows


def _check(entry: LedgerEntry, position: int, prev: str, row: dict[str, Any] | None) -> str:
    """Why this entry breaks the chain, or "" when it holds."""
    if entry.seq != position or entry.prev_hash != prev:
        return _("Verkettung unterbrochen (Eintrag entfernt, eingefügt oder vertauscht)")
    if entry.entry_hash != entry_hash(
        entry.source, entry.row_id, entry.content_hash or "", entry.actor_label, prev
    ):
        return _("Kettenglied nachträglich verändert")
    if row is None:
        return _("Verlaufseintrag gelöscht")
    if content_hash(entry.source, row) != entry.content_hash:
        return _("Verlaufseintrag nachträglich verändert")
    return ""


def verify() -> Verification:
    """Walk the sealed chain from the start (stop at the first broken entry), then count the
    entries still waiting for the sealer."""
    prev, checked = GENESIS, 0
    for chunk in _entries():
        rows = _rows(chunk)
        for entry in chunk:
            reason = _check(entry, checked + 1, prev, rows.get((entry.source, entry.row_id)))
            if reason:
                return _result(checked, prev, broken_at=entry.seq, reason=reason)
            prev, checked = entry.entry_hash or "", checked + 1
    return _result(checked, prev)


def _result(
    checked: int, head: str, *, broken_at: int | None = None, reason: str = ""
) -> Verification:
    waiting = LedgerEntry.objects.filter(seq__isnull=True)
    oldest = waiting.order_by("id").values_list("created_at", flat=True).first()
    return Verification(
        checked,
        broken_at,
        reason,
        head,
        unchained=unchained_count(),
        unsealed=waiting.count(),
        overdue=waiting.filter(created_at__lt=timezone.now() - alarm_after()).count(),
        oldest_unsealed=oldest,
    )


def unchained_count() -> int:
    total = 0
    for source, model in MODELS.items():
        chained = LedgerEntry.objects.filter(source=source).values("row_id")
        total += model._default_manager.exclude(pk__in=chained).count()
    return total


def head() -> str:
    """The hash of the newest sealed entry (printed on every signed record)."""
    value = (
        LedgerEntry.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("entry_hash", flat=True)
        .first()
    )
    return value or GENESIS


def entries_for(source: str, row_ids: Iterable[int]) -> dict[int, LedgerEntry]:
    return {
        entry.row_id: entry
        for entry in LedgerEntry.objects.filter(source=source, row_id__in=list(row_ids))
    }
