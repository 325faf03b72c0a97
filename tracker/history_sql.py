"""What other apps keep per history row, for history rows written by fixed SQL.

A `ReportEvent` saved through the ORM sends `post_save`, and an app that keeps something per
history row listens there (the ledger of tracker.inspections). Intake writes its "created"
row in one SQL statement together with the report and its outbox row (one round trip,
tracker.services.intake_sql), which sends no signal. So such an app also registers here, in
its `ready()`, a part for that statement: a function of the (unsaved) event and the SQL
expression of its id, returning one `INSERT … VALUES (…)` and its parameters. The part runs
inside the statement's transaction and may queue work with `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import ReportEvent

EventPart = Callable[[ReportEvent, str], tuple[str, list[Any]]]

_PARTS: dict[str, EventPart] = {}


def register(name: str, part: EventPart) -> None:
    _PARTS[name] = part


def parts(event: ReportEvent, id_sql: str) -> list[tuple[str, list[Any]]]:
    """The registered INSERTs for a new history row whose id is `id_sql` in the statement."""
    return [part(event, id_sql) for part in _PARTS.values()]
