"""Celery tasks of the tracker, queued by name through the outbox or run by beat (services
never import this module)."""

from __future__ import annotations

from celery import shared_task

from . import tiles
from .services import idempotency, redaction


@shared_task(name="tracker.redact_photo", acks_late=True, ignore_result=True)
def redact_photo(photo_id: int) -> bool:
    """Blur faces and number plates in the public version of a new photo."""
    return redaction.photo_redact(photo_id)


@shared_task(name="tracker.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    """Beat, daily: forget idempotency keys after IDEMPOTENCY_KEY_RETENTION_DAYS."""
    return idempotency.purge_expired()


@shared_task(name="tracker.refresh_tile_cells", ignore_result=True)
def refresh_tile_cells() -> None:
    """Beat, every MAP_TILE_CELLS_REFRESH_SECONDS: recount the vector tiles' cells."""
    tiles.refresh_tile_cells(concurrently=True)
