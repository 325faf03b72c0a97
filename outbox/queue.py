"""Queueing work without ever failing the request that caused it, or losing it.

`enqueue_on_commit(name, *ids)` writes an outbox row in the caller's transaction, so the work
exists exactly when the change exists: nothing for a rolled-back change, and nothing lost when
Redis is down at commit time. After the commit the row id is published to Celery; if that
fails, beat publishes it later.
"""

from __future__ import annotations

import json
from typing import Any

from . import delivery, relay


def key_for(name: str, args: tuple[Any, ...]) -> str:
    """The idempotency key of `name(*args)`: the same work is stored once."""
    return f"{name}:{json.dumps(list(args), separators=(',', ':'), default=str)}"


def enqueue_on_commit(name: str, *args: Any, target: tuple[str, int] | None = None) -> int:
    if not isinstance(name, str):
        raise TypeError("enqueue_on_commit takes a task name (str), not a task object")
    message_id = delivery.store(name, key_for(name, args), {"args": list(args)}, target=target)
    relay.hand_over_on_commit(message_id)
    return message_id


def run_now(name: str, *args: Any) -> str:
    """For a task called directly (not through the outbox): store its row the way
    enqueue_on_commit would (same key, so still only once) and deliver it at once."""
    message_id = delivery.store(name, key_for(name, args), {"args": list(args)})
    return delivery.deliver(message_id)
