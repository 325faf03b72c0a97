"""Storing, publishing and delivering outbox rows: the database first, delivery afterwards.

* `store()` writes an `OutboxMessage` inside the caller's transaction; its idempotency key is
  unique, so storing the same work twice stores it once.
* `deliver(id)` locks the row (`SELECT … FOR UPDATE SKIP LOCKED`), runs the handler for its
  kind, and marks it sent in the same transaction. A row that is sent, failed for good or
  being delivered by someone else right now is skipped, so a redelivered Celery task or a
  second `deliver_outbox` run never sends twice. A handler error (SMTP down, webhook server
  down, anything) leaves the row pending with exponential backoff in `next_attempt_at`.
* `publish()` hands a row id to Celery; `publish_due()` (Celery beat, `deliver_outbox`)
  re-publishes every pending row whose time has come, e.g. after a Redis outage.

Why an outbox and not only Celery's retries: Celery retries start once a task is in the
broker. When Redis is down at commit time there is no task to retry, and the message would be
lost; the row is not. See docs/notifications.md.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import registry, selectors
from .models import OutboxMessage
from .registry import Cancelled, GiveUp, RetryLater

logger = logging.getLogger(__name__)

DELIVER_TASK = "outbox.deliver_message"


# The retry policy of everything that leaves the system (settings keep their original names).
def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def grace_seconds() -> int:
    """How long a freshly stored row waits for its immediate publish before beat takes over."""
    return _setting("NOTIFICATIONS_PUBLISH_GRACE_SECONDS", 60)


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2 * base, 4 * base … capped (defaults: 30 s … 6 h)."""
    base = _setting("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
    cap = _setting("NOTIFICATIONS_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def max_attempts() -> int:
    return _setting("NOTIFICATIONS_MAX_ATTEMPTS", 15)


def store(
    kind: str,
    key: str,
    payload: dict[str, Any],
    *,
    parent: OutboxMessage | None = None,
    target: tuple[str, int] | None = None,
) -> int:
    """Store work once (by `key`) and return the row id. Call it inside the transaction of the
    change it belongs to."""
    # A repeated fan-out or a second enqueue adds nothing: ON CONFLICT (key) "updates" the key
    # to itself, which changes nothing but RETURNs the existing row's id in the same statement.
    # Written as SQL: the ORM's bulk_create cost more than the insert on the intake's path.
    due = timezone.now() + timedelta(seconds=grace_seconds())
    with connection.cursor() as cursor:
        cursor.execute(
            _STORE_SQL.format(table=connection.ops.quote_name(OutboxMessage._meta.db_table)),
            [
                kind,
                json.dumps(payload, cls=DjangoJSONEncoder),
                key[:255],
                due,
                parent.pk if parent else None,
                target[0] if target else "",
                target[1] if target else None,
            ],
        )
        return int(cursor.fetchone()[0])


_STORE_SQL = """
INSERT INTO {table} (kind, payload, idempotency_key, status, attempts, next_attempt_at,
                     last_error, created_at, parent_id, target_kind, target_id, response_excerpt)
VALUES (%s, %s::jsonb, %s, 'pending', 0, %s, '', now(), %s, %s, %s, '')
ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
RETURNING id
"""


# One statement with two array parameters, whatever the number of rows: psycopg rewrites a
# query's placeholders on every call, which costs more than the insert itself for a
# 500-row VALUES list (measured in bench/fanout.py, docs/performance.md).
_STORE_MANY_SQL = """
INSERT INTO {table} (kind, payload, idempotency_key, status, attempts, next_attempt_at,
                     last_error, created_at, parent_id, target_kind, response_excerpt)
SELECT %s, row.payload::jsonb, row.key, 'pending', 0, %s, '', now(), %s, '', ''
FROM unnest(%b::text[], %b::text[]) AS row(payload, key)
ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
RETURNING id
"""


def store_many(
    kind: str, rows: Iterable[tuple[str, dict[str, Any]]], *, parent: OutboxMessage | None = None
) -> list[int]:
    """store() for many rows of one kind in one INSERT: (key, payload) pairs; returns their
    row ids (an existing row's id for a key stored before), each key once."""
    payloads: dict[str, str] = {}
    for key, payload in rows:
        payloads.setdefault(key[:255], json.dumps(payload, cls=DjangoJSONEncoder))
    if not payloads:
        return []
    due = timezone.now() + timedelta(seconds=grace_seconds())
    sql = _STORE_MANY_SQL.format(table=connection.ops.quote_name(OutboxMessage._meta.db_table))
    connection.ensure_connection()
    # Server-side binding (Django's cursors bind client-side: they would quote and copy
    # megabytes of mail text into the query string); same connection, same transaction.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            sql,
            [kind, due, parent.pk if parent else None, list(payloads.values()), list(payloads)],
        )
        return [int(row[0]) for row in cursor.fetchall()]


# Circuit breaker: connecting to a dead Redis costs seconds (redis-py retries). After one
# failure, this process stops trying for a while; its rows wait in the outbox for beat.
_broker_down_until = 0.0


def publish(message_id: int) -> bool:
    """Queue the delivery task. A broker outage is logged, never raised: the row stays pending
    and beat (or `deliver_outbox`) publishes it again later."""
    return publish_task(DELIVER_TASK, message_id, what=f"message {message_id}")


def publish_task(name: str, *args: Any, what: str = "") -> bool:
    """Publish the task `name` (looked up by name: outbox.tasks imports this module) behind
    the circuit breaker; False when the broker is down (logged, never raised)."""
    global _broker_down_until
    from celery import current_app

    task = current_app.tasks[name]
    eager = bool(task.app.conf.task_always_eager)
    if not eager and time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # broker unreachable; the request that caused this must still succeed
        logger.warning("outbox: could not publish %s, beat will retry", what or name)
        _broker_down_until = time.monotonic() + _setting("NOTIFICATIONS_BROKER_PAUSE_SECONDS", 15)
        return False
    return True


def reset_circuit() -> None:
    global _broker_down_until
    _broker_down_until = 0.0


def publish_on_commit(message_id: int) -> None:
    transaction.on_commit(lambda: publish(message_id))


_RESULT_FIELDS = ["response_status", "response_excerpt", "response_size"]


def deliver(message_id: int) -> str:
    """Deliver one row if it is pending and nobody else holds it. Returns what happened."""
    outcome, follow_ups = process(message_id)
    # After the commit: children are stored for good, deliver them now.
    deliver_many(follow_ups)
    return outcome


def _async_commit() -> None:
    """No wait for the disk flush at this transaction's commit: should the database server
    crash right after, the rows are pending again and delivered again, which is the
    at-least-once case of docs/notifications.md."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _locked(ids: list[int]) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(pk__in=ids, status=OutboxMessage.Status.PENDING)
        .order_by("pk")
    )


_SAVED_FIELDS = [*_RESULT_FIELDS, "status", "attempts", "sent_at", "last_error", "next_attempt_at"]


def process(message_id: int) -> tuple[str, list[int]]:
    """deliver() without the children: run the row's handler and record the outcome in one
    transaction; returns (outcome, the ids of the child rows it stored)."""
    with transaction.atomic():
        _async_commit()
        rows = _locked([message_id])
        if not rows:
            return "skipped", []
        outcome, follow_ups = _run(rows[0])
        rows[0].save(update_fields=_SAVED_FIELDS)
    return outcome, follow_ups


def deliver_many(ids: list[int], *, batch: int = 50) -> dict[str, int]:
    """Deliver many rows (a fan-out's children), `batch` rows per transaction: their mails go
    out over one SMTP connection and the sent ones are marked in one UPDATE. Rows another
    worker holds, or that are no longer pending, are skipped. Returns outcome counts."""
    counts: dict[str, int] = {}
    for start in range(0, len(ids), batch):
        part = ids[start : start + batch]
        follow_ups: list[int] = []
        with transaction.atomic():
            _async_commit()
            rows = _locked(part)
            counts["skipped"] = counts.get("skipped", 0) + len(part) - len(rows)
            sent: list[int] = []
            for row in rows:
                outcome, children = _run(row)
                counts[outcome] = counts.get(outcome, 0) + 1
                follow_ups += children
                if outcome == "sent" and not any(getattr(row, f) for f in _RESULT_FIELDS):
                    sent.append(row.pk)
                else:
                    row.save(update_fields=_SAVED_FIELDS)
            OutboxMessage.objects.filter(pk__in=sent).update(
                status=OutboxMessage.Status.SENT,
                attempts=F("attempts") + 1,
                sent_at=timezone.now(),
                last_error="",
            )
        if follow_ups:
            deliver_many(follow_ups, batch=batch)
    return counts


def _run(message: OutboxMessage) -> tuple[str, list[int]]:
    """Run the row's handler and set (not save) the outcome on the row."""
    run = registry.get(message.kind) or _publish_task
    try:
        # A savepoint, so a database error inside the handler cannot poison the row update.
        with transaction.atomic():
            follow_ups = list(run(message))
    except (Cancelled, ObjectDoesNotExist) as reason:  # nothing left to notify about
        message.status = OutboxMessage.Status.CANCELLED
        message.last_error = str(reason)[:2000]
        return "cancelled", []
    except GiveUp as reason:  # the receiver refused: the same request would fail again
        message.status = OutboxMessage.Status.FAILED
        message.attempts += 1
        message.last_error = str(reason)[:2000]
        logger.error("outbox: %s given up: %s", message.idempotency_key, reason)
        _gave_up(message)
        return "failed", []
    except Exception as exc:
        _record_failure(message, exc)
        return "failed", []
    message.status = OutboxMessage.Status.SENT
    message.attempts += 1
    message.sent_at = timezone.now()
    message.last_error = ""
    return "sent", follow_ups


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    message.attempts += 1
    text = str(exc) if isinstance(exc, RetryLater) else f"{type(exc).__name__}: {exc}"
    message.last_error = text[:2000]
    if message.attempts >= max_attempts():
        message.status = OutboxMessage.Status.FAILED
        logger.error("outbox: giving up on %s after %d attempts", message, message.attempts)
        _gave_up(message)
    else:
        message.next_attempt_at = timezone.now() + backoff(message.attempts)
        logger.warning(
            "outbox: %s failed (attempt %d), next at %s: %s",
            message.idempotency_key,
            message.attempts,
            message.next_attempt_at,
            message.last_error,
        )


def _gave_up(message: OutboxMessage) -> None:
    """Tell the kind's owner that its work will not be done (registry.register's
    `on_give_up`). A failing hook is logged; it must not undo the row's update."""
    hook = registry.give_up_hook(message.kind)
    if hook is None:
        return
    try:
        with transaction.atomic():
            hook(message)
    except Exception:
        logger.exception("outbox: the give-up hook of %s failed", message.kind)


def _publish_task(message: OutboxMessage) -> Iterable[int]:
    """Rows for Celery tasks that are not outbox-aware (e.g. the catalogue's): delivering them
    means getting them into the broker. They are not lost in a Redis outage; their own task
    decides about duplicates."""
    from celery import current_app

    args = message.payload.get("args", [])
    task = current_app.tasks.get(message.kind)
    if task is not None:  # apply_async honours CELERY_TASK_ALWAYS_EAGER (tests)
        task.apply_async(args=args, retry=False)
    else:
        current_app.send_task(message.kind, args=args, retry=False)
    return ()


def due_ids(limit: int = 500) -> list[int]:
    due = selectors.due().order_by("next_attempt_at", "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def publish_due(limit: int = 500) -> int:
    """Beat: publish every due pending row. Each published row is leased (its next attempt
    moves into the future) so a backlog is not published again every beat."""
    ids = due_ids(limit)
    if not ids:
        return 0
    lease = timezone.now() + timedelta(seconds=max(grace_seconds(), 1) * 5)
    OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.PENDING).update(
        next_attempt_at=lease
    )
    published = 0
    for message_id in ids:
        if not publish(message_id):
            # Broker gone: give the rest back at once, the next beat tries again.
            OutboxMessage.objects.filter(
                pk__in=ids[published:], status=OutboxMessage.Status.PENDING
            ).update(next_attempt_at=timezone.now())
            break
        published += 1
    return published


def requeue(message_id: int) -> bool:
    """Admin: try a row again that failed for good or was cancelled (after its receiver was
    fixed), or push a pending one whose publish got lost. A sent row is never sent again."""
    with transaction.atomic():
        changed = (
            OutboxMessage.objects.filter(pk=message_id)
            .exclude(status=OutboxMessage.Status.SENT)
            .update(status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
        )
        if changed:
            publish_on_commit(message_id)
    return bool(changed)


def purge_sent(days: int = 30) -> int:
    """Sent and cancelled rows hold addresses and texts: keep them only a while (DSGVO)."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.CANCELLED],
        created_at__lt=cutoff,
    ).delete()
    return deleted
