"""Queueing work without ever failing the request that caused it, or losing it.

`enqueue_on_commit(name, *ids)` writes an outbox row in the caller's transaction, so the work
exists exactly when the change exists: nothing for a rolled-back change, and nothing lost when
Redis is down at commit time. After the commit the row id is published to Celery; if that
fails, beat publishes it later.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from . import delivery, relay
from .models import OutboxMessage


def key_for(name: str, args: tuple[Any, ...]) -> str:
    """The idempotency key of `name(*args)`: the same work is stored once."""
    return f"{name}:{json.dumps(list(args), separators=(',', ':'), default=str)}"


def enqueue_on_commit(name: str, *args: Any, target: tuple[str, int] | None = None) -> int:
    if not isinstance(name, str):
        raise TypeError("enqueue_on_commit takes a task name (str), not a task object")
    message_id = delivery.store(name, key_for(name, args), {"args": list(args)}, target=target)
    relay.hand_over_on_commit(message_id)
    return message_id


# enqueue_on_commit(name, id) for an id known only inside the statement that writes it: the
# same row (kind, payload {"args": [id]}, key "name:[id]") as a data-modifying CTE's INSERT.
_STORE_BY_ID_SQL = """
INSERT INTO {table} (kind, payload, idempotency_key, status, attempts, next_attempt_at,
                     last_error, created_at, parent_id, target_kind, target_id, response_excerpt)
VALUES (%s, jsonb_build_object('args', jsonb_build_array({id})), %s::text || ({id})::text || ']',
        'pending', 0, %s, '', now(), NULL, '', NULL, '')
ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
RETURNING id
"""


def enqueue_sql(name: str, id_sql: str) -> tuple[str, list[Any]]:
    """`enqueue_on_commit(name, <id>)` as an INSERT for a data-modifying CTE of the caller's
    statement, where the id is the SQL expression `id_sql` (e.g. "(SELECT id FROM report)"):
    the outbox row is written by the same statement, in the same transaction, as the change.
    The caller passes the returned row id to `stored()`."""
    due = timezone.now() + timedelta(seconds=delivery.grace_seconds())
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    return _STORE_BY_ID_SQL.format(table=table, id=id_sql), [name, f"{name}:[", due]


def stored(message_id: int) -> None:
    """A row written by `enqueue_sql`: publish it after the commit, as enqueue_on_commit does."""
    relay.hand_over_on_commit(message_id)


def run_now(name: str, *args: Any) -> str:
    """For a task called directly (not through the outbox): store its row the way
    enqueue_on_commit would (same key, so still only once) and deliver it at once."""
    message_id = delivery.store(name, key_for(name, args), {"args": list(args)})
    return delivery.deliver(message_id)
