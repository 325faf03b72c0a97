"""The tamper-evident ledger: a SHA-256 hash chain over every history row.

Each `LedgerEntry` stores the hash of one row's content (a `ReportEvent` or an
`InspectionEvent`) and the hash of the previous entry. `verify()` recomputes both from the
rows as they are now: a row edited or deleted afterwards, an entry edited, removed or
reordered, breaks the chain at that entry. The chain is written inside the transaction that
writes the row, serialised by one advisory lock, so its order is the commit order.

What is hashed is listed in CONTENT_FIELDS. Foreign keys that Django sets to NULL when a
person or team is deleted (actor, assignee, team) are not hashed; the acting person is kept
as `actor_label` in the entry itself (hashed there), so erasing an account neither breaks
the chain nor loses who acted for the authority.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts.models import Membership
from tracker.models import ReportEvent

from .hashing import CONTENT_FIELDS, GENESIS, content_hash, entry_hash
from .models import InspectionEvent, LedgerEntry

# pg_advisory_xact_lock key: "MMLEDGER" as a number, one lock for the whole chain.
LOCK_KEY = 0x4D4D4C4544474552 & 0x7FFFFFFFFFFFFFFF

MODELS: dict[str, type[Model]] = {
    LedgerEntry.Source.REPORT_EVENT: ReportEvent,
    LedgerEntry.Source.INSPECTION_EVENT: InspectionEvent,
}


def actor_label(actor: Any) -> str:
    """Staff by name and address; anyone else as a citizen (no personal data in the ledger)."""
    if actor is None:
        return ""
    if actor.is_superuser or Membership.objects.filter(user=actor).exists():
        name = actor.display_name or actor.get_full_name()
        return f"{name} <{actor.email}>" if name else actor.email
    return _("Bürger/in")


def _values(source: str, row: Model) -> dict[str, Any]:
    return {name: getattr(row, name) for name in CONTENT_FIELDS[source]}


def append(source: str, row: Model, *, label: str) -> LedgerEntry:
    """Chain one new row (called inside the row's transaction).

    The lock is held until the caller's transaction ends, so every report, status change and
    inspection waits for it: only reading the previous entry and writing this one happen under
    it (no savepoint of its own: a failure here fails the row's transaction anyway)."""
    with transaction.atomic(savepoint=False):
        # Re-read created_at as stored (the database rounds nothing, but be exact).
        stored = type(row)._default_manager.filter(pk=row.pk).values(*CONTENT_FIELDS[source])[0]
        content = content_hash(source, stored)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        prev = LedgerEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev = prev or GENESIS
        return LedgerEntry.objects.create(
            source=source,
            row_id=row.pk,
            content_hash=content,
            actor_label=label,
            prev_hash=prev,
            entry_hash=entry_hash(source, row.pk, content, label, prev),
        )


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


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain: ok, or the first broken entry and why."""

    checked: int
    broken_at: int | None = None  # the ledger entry's id (its position in the chain)
    reason: str = ""
    head: str = GENESIS
    unchained: int = 0  # history rows without a ledger entry (written around the services)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _entries(batch: int = 2000) -> Iterator[list[LedgerEntry]]:
    last = 0
    while True:
        chunk = list(LedgerEntry.objects.filter(id__gt=last).order_by("id")[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].id


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


def _check(entry: LedgerEntry, prev: str, row: dict[str, Any] | None) -> str:
    """Why this entry breaks the chain, or "" when it holds."""
    if entry.prev_hash != prev:
        return _("Verkettung unterbrochen (Eintrag entfernt, eingefügt oder vertauscht)")
    if entry.entry_hash != entry_hash(
        entry.source, entry.row_id, entry.content_hash, entry.actor_label, entry.prev_hash
    ):
        return _("Kettenglied nachträglich verändert")
    if row is None:
        return _("Verlaufseintrag gelöscht")
    if content_hash(entry.source, row) != entry.content_hash:
        return _("Verlaufseintrag nachträglich verändert")
    return ""


def verify() -> Verification:
    """Walk the whole chain from the start; stop at the first broken entry."""
    prev, checked = GENESIS, 0
    for chunk in _entries():
        rows = _rows(chunk)
        for entry in chunk:
            reason = _check(entry, prev, rows.get((entry.source, entry.row_id)))
            if reason:
                return Verification(checked, entry.id, reason, prev, unchained_count())
            prev, checked = entry.entry_hash, checked + 1
    return Verification(checked, head=prev, unchained=unchained_count())


def unchained_count() -> int:
    total = 0
    for source, model in MODELS.items():
        chained = LedgerEntry.objects.filter(source=source).values("row_id")
        total += model._default_manager.exclude(pk__in=chained).count()
    return total


def head() -> str:
    """The hash of the newest entry (printed on every signed record)."""
    value = LedgerEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return value or GENESIS


def entries_for(source: str, row_ids: Iterable[int]) -> dict[int, LedgerEntry]:
    return {
        entry.row_id: entry
        for entry in LedgerEntry.objects.filter(source=source, row_id__in=list(row_ids))
    }
