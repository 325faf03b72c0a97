"""The transactional outbox: everything that leaves the system (mail, webhooks, Open311) is
first stored as a row in the transaction of the change that caused it, then delivered by a
Celery worker with retries and a log. The bottom layer: it knows no domain app; apps register
handlers for their kinds in AppConfig.ready(). See docs/notifications.md."""

from __future__ import annotations

from typing import Any


def enqueue_on_commit(name: str, *args: Any, target: tuple[str, int] | None = None) -> int:
    """Store the work `name(*args)` (a registered handler kind or a Celery task name) in the
    caller's transaction and publish it after the commit. The same name with the same
    arguments is stored once. Returns the row id. Services call this by NAME, so no service
    imports a tasks module."""
    # Imported here: this package is imported while the app registry loads, the model not yet.
    from .queue import enqueue_on_commit as enqueue

    return enqueue(name, *args, target=target)


__all__ = ["enqueue_on_commit"]
