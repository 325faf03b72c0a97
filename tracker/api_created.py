"""The API's answer to a new report (POST /api/v1/reports, and its idempotent replays)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, reverse

from boundaries.reverse import PlaceName, place_name_at

from . import services
from .models import Report


def _place_of(report: Report) -> PlaceName | None:
    """The place intake looked up already, else looked up now."""
    if hasattr(report, services.INTAKE_PLACE):
        place: PlaceName | None = getattr(report, services.INTAKE_PLACE)
        return place
    return place_name_at(report.location)


_CREATED_URLS: dict[str, tuple[str, str]] = {}


def _created_urls(report: Report) -> tuple[str, str]:
    """The answer's tracking URL and report URL. reverse() cost more than the rest of the
    answer, so each link's pattern is reversed once per script prefix and filled in here."""
    prefix = get_script_prefix()
    templates = _CREATED_URLS.get(prefix)
    if templates is None:
        track = reverse("tracker:track", args=["TRACKTOKEN"]).replace("TRACKTOKEN", "{}")
        page = reverse("tracker:report", args=[987654321]).replace("987654321", "{}")
        templates = _CREATED_URLS[prefix] = (track, page)
    # The tokens are URL-safe (secrets.token_urlsafe): reverse() would not quote them either.
    return templates[0].format(report.tracking_token), templates[1].format(report.pk)


def report_created_body(report: Report) -> dict[str, Any]:
    tracking_path, url = _created_urls(report)
    return {
        "id": report.pk,
        "reference": report.reference,
        "status": report.status,
        "authority": {"id": report.authority_id, "name": report.authority.name},
        "reason": report.routing_reason,
        "detail": report.routing_detail,
        "distance_m": report.routing_distance_m,
        # Where it is in words: what the citizen typed, else the nearest house or street.
        "address": report.address,
        "place": place.as_json() if (place := _place_of(report)) else None,
        "confirmation_required": report.confirmed_at is None,
        "tracking_url": settings.PORTAL_URL + tracking_path,
        "url": url,
    }
