"""Celery tasks of the outbox. They take row ids; the rows hold the truth
(docs/notifications.md)."""

from __future__ import annotations

from celery import shared_task

from . import delivery, relay


@shared_task(name=delivery.DELIVER_TASK, acks_late=True, ignore_result=True)
def deliver_message(message_id: int) -> str:
    """Deliver one outbox row. Never raises for delivery errors: the row records them and
    gets its next attempt (exponential backoff), which beat publishes when it is due."""
    return delivery.deliver(message_id)


@shared_task(name=relay.RELAY_TASK, ignore_result=True)
def relay_new_rows() -> int:
    """Queued after commits (coalesced): publish the delivery of the rows handed over."""
    return relay.relay()


@shared_task(name="outbox.publish_due", ignore_result=True)
def publish_due() -> int:
    """Beat (every 30 s): publish pending rows that are due (retries, Redis outages)."""
    return delivery.publish_due()


@shared_task(name="outbox.purge", ignore_result=True)
def purge() -> int:
    """Beat, daily: delete sent and cancelled rows after 30 days (they hold addresses and
    texts)."""
    return delivery.purge_sent()
