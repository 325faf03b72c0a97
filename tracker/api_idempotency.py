"""POST /api/v1/reports with an `Idempotency-Key` header: one report per key
(tracker.services.idempotency; docs/api.md, docs/offline.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from .models import Report
from .services import idempotency

REPLAYED_HEADER = "Idempotent-Replayed"

PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Vom Client erzeugte UUID. Dieselbe Anfrage mit demselben Schlüssel legt keine zweite "
        "Meldung an, sondern liefert die erste zurück (Antwort-Header Idempotent-Replayed: "
        "true). Derselbe Schlüssel mit anderem Inhalt: 422. Schlüssel werden mindestens "
        "IDEMPOTENCY_KEY_RETENTION_DAYS Tage (Standard 30) aufbewahrt."
    ),
)

FIELDS = ("description", "email", "name", "phone", "address")


def request_fingerprint(data: dict[str, Any]) -> str:
    """The fingerprint of a validated ReportCreateSerializer's data (fields and photo bytes)."""
    fields = {name: str(data.get(name, "")).strip() for name in FIELDS}
    fields["category"] = data["category"].slug
    fields["point"] = f"{data['point'].y:.7f},{data['point'].x:.7f}"
    return idempotency.fingerprint(fields, data.get("photos", []))


def known_replay(request: Request) -> bool:
    """A retry of a finished request: it creates nothing, so it costs no rate-limit slot."""
    try:
        key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
    except Exception:
        return False
    return key is not None and idempotency.known_report(idempotency.REPORTS, key)


def create_report_once(
    request: Request, data: dict[str, Any], create: Callable[[], Report]
) -> tuple[Report, bool]:
    """(report, replayed). Without the header simply creates. Raises ValidationError for a
    malformed key and idempotency.KeyReused for a key used with another request."""
    key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
    if key is None:
        return create(), False
    return idempotency.create_once(idempotency.REPORTS, key, request_fingerprint(data), create)
