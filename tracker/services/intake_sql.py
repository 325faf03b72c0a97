"""Intake's write as one SQL statement: the report, its "created" history row, the rows other
apps keep per history row (tracker.history_sql: the ledger entry) and the outbox row of
"notifications.report_received", as data-modifying CTEs — one round trip instead of one per
row, and none of the ORM's per-insert compilation (docs/performance.md, "Intake").

The rows are exactly what the ORM and `enqueue_on_commit` would write (core.insert_sql builds
the report and event rows from the models' metadata); the statement runs inside the intake
service's transaction, so the transactional outbox is unchanged.
"""

from __future__ import annotations

from django.db import connection

from core import insert_sql
from core.dbread import prepared_rows
from outbox.queue import enqueue_sql, stored

from .. import history_sql
from ..models import Report, ReportEvent

RECEIVED = "notifications.report_received"
REPORT_ID = "(SELECT id FROM report)"
EVENT_ID = "(SELECT id FROM event)"


def insert_report(report: Report, event: ReportEvent) -> None:
    """Write the new `report` with its history row `event` (whose report is `report`) and
    the outbox row; sets both instances' ids as `create()` would. Call inside a transaction."""
    report_plan, event_plan = insert_sql.plan(Report), insert_sql.plan(ReportEvent)
    report_column = ReportEvent._meta.get_field("report").column
    parts = [
        ("report", (f"{report_plan.insert()} RETURNING id", [report_plan.row(report)])),
        (
            "event",
            (
                f"{event_plan.insert(**{report_column: REPORT_ID})} RETURNING id",
                [event_plan.row(event)],
            ),
        ),
        ("received", enqueue_sql(RECEIVED, REPORT_ID)),
    ]
    parts += [(f"part{i}", part) for i, part in enumerate(history_sql.parts(event, EVENT_ID))]
    sql = "WITH " + ",\n".join(f"{name} AS ({part_sql})" for name, (part_sql, _) in parts)
    sql += f"\nSELECT {REPORT_ID}, {EVENT_ID}, (SELECT id FROM received)"  # noqa: S608 - constants
    params = [param for _, (_, part_params) in parts for param in part_params]
    # Prepared: the same statement for every report, planned once per connection.
    ((report_id, event_id, message_id),) = prepared_rows(connection, sql, params)
    for obj, pk in ((report, report_id), (event, event_id)):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    event.report = report
    stored(message_id)
