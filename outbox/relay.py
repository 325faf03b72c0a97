"""The relay: publishing after the commit in one Redis round trip on the request's path.

After the commit of a change, its outbox row's id is pushed onto a Redis list and a relay run
is queued only if none is queued yet (RPUSH and SET NX in one pipeline). The relay task
(`outbox.relay`, in a worker) takes the ids off the list and publishes each row's delivery
task, so a burst of reports costs the web workers one round trip each and Celery one relay
run per burst. The row in the change's transaction stays the truth: should Redis be down at
the commit, or the list be lost, beat's `publish_due` publishes the row once its grace period
is over, as before. With eager tasks (tests) or without a Redis cache, rows are published
directly. See docs/notifications.md.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from . import delivery

logger = logging.getLogger(__name__)

RELAY_TASK = "outbox.relay"
LIST_KEY = "mm:outbox:relay"
FLAG_KEY = "mm:outbox:relay:queued"
BATCH = 500
_clients: dict[str, Any] = {}


def _client() -> Any | None:
    """The default cache's Redis client, or None with another cache backend."""
    if "redis" not in _clients:
        try:
            from django_redis import get_redis_connection  # type: ignore[import-untyped]

            _clients["redis"] = get_redis_connection("default")
        except (ImportError, NotImplementedError):
            _clients["redis"] = None
    return _clients["redis"]


def _eager() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def hand_over(message_id: int) -> None:
    """After the commit: hand the row to the relay (or publish it directly, see above)."""
    client = None if _eager() else _client()
    if client is None:
        delivery.publish(message_id)
        return
    flag_seconds = int(getattr(settings, "OUTBOX_RELAY_FLAG_SECONDS", 30))
    try:
        pipe = client.pipeline(transaction=False)
        pipe.rpush(LIST_KEY, message_id)
        pipe.set(FLAG_KEY, 1, nx=True, ex=flag_seconds)
        _, queued = pipe.execute()
    except Exception:  # Redis unreachable: the request must still succeed; beat publishes
        logger.warning("outbox: could not hand message %s to the relay", message_id)
        return
    if queued and not delivery.publish_task(RELAY_TASK, what="the relay"):
        # Broker down (logged, circuit breaker): the ids wait on the list, the rows in the
        # outbox for beat; the next commit after the pause tries to queue the relay again.
        try:
            client.delete(FLAG_KEY)
        except Exception:
            logger.warning("outbox: could not clear the relay flag")


def hand_over_on_commit(message_id: int) -> None:
    transaction.on_commit(lambda: hand_over(message_id))


def relay() -> int:
    """The task: clear the flag first (a commit from now on queues the next run), then
    publish every id on the list. Returns how many."""
    client = _client()
    if client is None:
        return 0
    client.delete(FLAG_KEY)
    published = 0
    while True:
        pipe = client.pipeline(transaction=True)
        pipe.lrange(LIST_KEY, 0, BATCH - 1)
        pipe.ltrim(LIST_KEY, BATCH, -1)
        ids, _ = pipe.execute()
        for raw in ids:
            published += int(delivery.publish(int(raw)))
        if len(ids) < BATCH:
            return published
