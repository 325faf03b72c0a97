"""Exactly once: a request carrying a client-chosen idempotency key creates at most one record.

An offline phone keeps a report and its key and sends it when the connection returns, maybe
twice (Background Sync and the page's own retry, a response lost on the way). The first
request with a key stores the key with a fingerprint of the request and the report it created,
in the same transaction; a later request with the same key and the same fingerprint gets that
report back, one with another fingerprint is refused (KeyReused). Concurrent requests with one
key are serialised by the unique constraint: the second insert waits for the first transaction
and then reads its row. A request that fails stores nothing, so the client may retry.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import IdempotencyKey, Report

HEADER = "Idempotency-Key"
REPORTS = "reports.create"


class KeyReused(Exception):
    """The key was used before for a different request (or for a report that is gone)."""


def parse_key(raw: str | None) -> uuid.UUID | None:
    """The header's UUID; None without the header; ValidationError for anything else."""
    if raw is None or not raw.strip():
        return None
    try:
        return uuid.UUID(raw.strip())
    except (ValueError, AttributeError) as exc:
        raise ValidationError(
            {
                HEADER: [
                    _("Der Idempotency-Key muss eine UUID sein (z. B. aus crypto.randomUUID()).")
                ]
            }
        ) from exc


def fingerprint(fields: dict[str, str], files: Iterable[IO[bytes]] = ()) -> str:
    """SHA-256 over the request's fields and the bytes of its files (read, then rewound)."""
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode())
    for upload in files:
        file_digest = hashlib.sha256()
        for chunk in iter(lambda upload=upload: upload.read(65536), b""):  # type: ignore[misc]
            file_digest.update(chunk)
        upload.seek(0)
        digest.update(file_digest.digest())
    return digest.hexdigest()


def known_report(scope: str, key: uuid.UUID) -> bool:
    """A finished request with this key exists (its retry only reads)."""
    return IdempotencyKey.objects.filter(scope=scope, key=key, report__isnull=False).exists()


def create_once(
    scope: str, key: uuid.UUID, print_: str, create: Callable[[], Report]
) -> tuple[Report, bool]:
    """(report, replayed): `create()` runs only for the first request with this key.

    Raises KeyReused when the key belongs to another request or its report was deleted."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=print_)
        except IntegrityError:
            # Another request holds the key: its transaction has committed by now.
            row = IdempotencyKey.objects.select_related("report").get(scope=scope, key=key)
            if row.fingerprint != print_:
                raise KeyReused(
                    _(
                        "Dieser Idempotency-Key wurde schon für eine andere Meldung verwendet. "
                        "Bitte für jede neue Meldung einen neuen Schlüssel erzeugen."
                    )
                ) from None
            if row.report is None:
                raise KeyReused(
                    _("Die Meldung zu diesem Idempotency-Key gibt es nicht mehr.")
                ) from None
            return row.report, True
        report = create()
        row.report = report
        row.save(update_fields=["report"])
    return report, False


def purge_expired() -> int:
    """Delete keys older than the retention period; returns how many."""
    days = settings.IDEMPOTENCY_KEY_RETENTION_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
