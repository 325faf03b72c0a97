"""The hashes of the ledger, as pure functions (also used by the migration that chains the
history written before the ledger existed)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64

CONTENT_FIELDS: dict[str, tuple[str, ...]] = {
    "report_event": (
        "id",
        "report_id",
        "kind",
        "from_status",
        "to_status",
        "note",
        "is_public",
        "authority_id",
        "from_authority_id",
        "to_authority_id",
        "created_at",
    ),
    "inspection_event": (
        "id",
        "round_id",
        "kind",
        "segment_id",
        "report_id",
        "note",
        "created_at",
    ),
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def content_hash(source: str, values: dict[str, Any]) -> str:
    """SHA-256 over the row's hashed columns as canonical JSON."""
    content = {name: _plain(values[name]) for name in CONTENT_FIELDS[source]}
    canonical = json.dumps([source, content], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def entry_hash(source: str, row_id: int, content: str, actor_label: str, prev: str) -> str:
    canonical = json.dumps([source, row_id, content, actor_label, prev], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
