"""Celery tasks of the FIT-Connect hand-over, called by name (catalogue.fitconnect.handover
queues "catalogue.fitconnect_submit" through the outbox; beat runs "catalogue.fitconnect_sync").
They take ids; the hand-over rows hold the truth."""

from __future__ import annotations

import logging

from celery import shared_task

from .client import Client, Config, FitConnectError
from .events import handover_poll, open_handovers
from .handover import due_handovers, handover_submit

logger = logging.getLogger(__name__)


@shared_task(name="catalogue.fitconnect_submit", acks_late=True, ignore_result=True)
def submit(handover_id: int, _round: int = 0) -> str:
    """One attempt to submit a hand-over; a failed attempt is retried by the sync task."""
    return handover_submit(handover_id)


@shared_task(name="catalogue.fitconnect_sync", ignore_result=True)
def sync() -> dict[str, int]:
    """Beat: submit due hand-overs again and read the event logs of submitted ones."""
    client = Client(Config.from_settings())
    outcome: dict[str, int] = {}
    for handover_id in due_handovers():
        result = handover_submit(handover_id, client)
        outcome[result] = outcome.get(result, 0) + 1
    for handover_id in open_handovers():
        try:
            result = handover_poll(handover_id, client)
        except FitConnectError as exc:  # the platform is down: the next beat reads again
            logger.warning("fitconnect: event log of %s not read: %s", handover_id, exc)
            result = "unread"
        except (ValueError, KeyError, TypeError):  # an unreadable log must not stop the rest
            logger.exception("fitconnect: event log of %s unreadable", handover_id)
            result = "unread"
        outcome[result] = outcome.get(result, 0) + 1
    return outcome
