"""Queueing notification work without ever failing the request that caused it, or losing it.

Services call `enqueue_on_commit(task, *ids)` inside their transaction. That writes an outbox
row (notifications.outbox) in the same transaction, so the work exists exactly when the change
exists: nothing for a rolled-back change, and nothing lost when Redis is down at commit time.
After the commit the row id is published to Celery; if that fails, beat publishes it later.
"""

from __future__ import annotations

import json
from typing import Any

from . import outbox


def _task_name(task: Any) -> str:
    return str(getattr(task, "name", task))


def _key(name: str, args: tuple[Any, ...]) -> str:
    return f"{name}:{json.dumps(list(args), separators=(',', ':'), default=str)}"


def enqueue_on_commit(task: Any, *args: Any) -> int:
    """Store `task(*args)` in the outbox now, publish it after the commit. The same task with
    the same arguments is stored once (tasks here take event or object ids). Returns the row
    id."""
    name = _task_name(task)
    message_id = outbox.store(name, _key(name, args), {"args": list(args)})
    outbox.publish_on_commit(message_id)
    return message_id


def enqueue(task: Any, *args: Any) -> int:
    """The same, for code that is not inside a transaction (the row is committed at once)."""
    return enqueue_on_commit(task, *args)
