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
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from core.cache_redis import cache_redis

from . import delivery

logger = logging.getLogger(__name__)

RELAY_TASK = "outbox.relay"
LIST_KEY = "mm:outbox:relay"
FLAG_KEY = "mm:outbox:relay:queued"
BATCH = 500


def _eager() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def hand_over(message_id: int) -> None:
    """After the commit: hand the row to the relay (or publish it directly, see above)."""
    _AfterCommit(ids=[message_id])()


def hand_over_on_commit(message_id: int) -> None:
    if not connection.in_atomic_block:  # autocommit: committed already
        hand_over(message_id)
        return
    _after_commit().ids.append(message_id)


def request_task_on_commit(task: str, flag: str, seconds: int) -> None:
    """After the commit: publish the task `task` (by name, no arguments) unless its flag, the
    default cache's key `flag`, is set already (SET NX for `seconds`): a burst of commits
    queues one run, which clears the flag when it starts (the ledger's sealer). Sent in the
    same Redis pipeline as the transaction's relay hand-over."""
    if not connection.in_atomic_block:  # autocommit: committed already
        _AfterCommit(tasks=[(task, flag, seconds)])()
        return
    _after_commit().tasks.append((task, flag, seconds))


@dataclass
class _AfterCommit:
    """What one transaction hands over after its commit, in one Redis pipeline: outbox row
    ids for the relay, and coalesced task requests."""

    ids: list[int] = field(default_factory=list)
    tasks: list[tuple[str, str, int]] = field(default_factory=list)

    def __call__(self) -> None:
        client = None if _eager() else cache_redis()
        if client is None:  # eager tasks (tests) or no Redis cache: publish directly
            for message_id in self.ids:
                delivery.publish(message_id)
            for task, flag, seconds in self.tasks:
                if cache.add(flag, 1, timeout=seconds):
                    delivery.publish_task(task)
            return
        try:
            pipe = client.pipeline(transaction=False)
            if self.ids:
                pipe.rpush(LIST_KEY, *self.ids)
                flag_seconds = int(getattr(settings, "OUTBOX_RELAY_FLAG_SECONDS", 30))
                pipe.set(FLAG_KEY, 1, nx=True, ex=flag_seconds)
            for _task, flag, seconds in self.tasks:
                pipe.set(cache.make_key(flag), 1, nx=True, ex=seconds)
            answers = pipe.execute()
        except Exception:  # Redis unreachable: the request must still succeed; beat publishes
            logger.warning("outbox: could not hand %s to the relay", self.ids or "tasks")
            return
        keys_set = answers[2:] if self.ids else answers
        if self.ids and answers[1]:
            self._publish(client, RELAY_TASK, FLAG_KEY, "the relay")
        for (task, flag, _seconds), was_set in zip(self.tasks, keys_set, strict=True):
            if was_set:
                self._publish(client, task, cache.make_key(flag), task)

    @staticmethod
    def _publish(client: Any, task: str, key: str, what: str) -> None:
        if not delivery.publish_task(task, what=what):
            # Broker down (logged, circuit breaker): the ids wait on the list, the rows in the
            # outbox for beat; the next commit after the pause tries to queue the task again.
            try:
                client.delete(key)
            except Exception:
                logger.warning("outbox: could not clear the flag of %s", what)


def _after_commit() -> _AfterCommit:
    """This transaction's hand-over, registered with on_commit once per savepoint level (so a
    rolled-back savepoint drops its part, as it drops its on_commit callbacks)."""
    level = set(connection.savepoint_ids)
    for entry in connection.run_on_commit:  # (savepoint ids, callback, robust)
        if isinstance(entry[1], _AfterCommit) and entry[0] == level:
            return entry[1]
    batch = _AfterCommit()
    transaction.on_commit(batch)
    return batch


def relay() -> int:
    """The task: clear the flag first (a commit from now on queues the next run), then
    publish every id on the list. Returns how many."""
    client = cache_redis()
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
