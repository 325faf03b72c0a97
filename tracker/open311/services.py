"""State changes of the Open311 app: issuing and revoking API keys, filing a request.
Filing goes through tracker.services.report_create, so routing, photo checks, the
confirmation mail and the notifications are exactly those of every other report."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boundaries.models import Authority, BoundaryPiece
from boundaries.services import authorities_at, route
from tracker import services as tracker_services
from tracker.models import Category, Report

from .attributes import AttributeValue
from .models import ApiKey, RequestAttributes, RequestToken

# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to see which clients are alive.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_issue(*, name: str, contact: str = "") -> tuple[ApiKey, str]:
    """Create a key for a client application. Returns the row and the plain key, which is
    stored nowhere and must be handed over now."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name.strip(), contact=contact.strip(), key_hash=hash_key(raw), prefix=raw[:8]
    )
    return key, raw


def api_key_revoke(key: ApiKey) -> ApiKey:
    """Withdraw a key for good (a revoked key is never reactivated; issue a new one)."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.is_active = False
        key.save(update_fields=["revoked_at", "is_active"])
    return key


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The active key matching `raw`, or None. Notes when it was last used."""
    raw = raw.strip()
    if not raw:
        return None
    key = ApiKey.objects.filter(
        key_hash=hash_key(raw), is_active=True, revoked_at__isnull=True
    ).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


class OutsideJurisdiction(Exception):
    """The point lies outside the jurisdiction named in the request."""


def check_jurisdiction(jurisdiction: Authority, point: Point, category: Category) -> None:
    """A territorial jurisdiction must cover the point; a jurisdiction without a boundary (an
    operator such as a utility) must be the one the report is routed to."""
    has_boundary = BoundaryPiece.objects.filter(authority=jurisdiction, is_active=True).exists()
    if has_boundary:
        covering = {a.id for a in authorities_at(point)}
        if jurisdiction.pk not in covering:
            raise OutsideJurisdiction
    elif route(point, category).authority.pk != jurisdiction.pk:
        raise OutsideJurisdiction


@dataclass(frozen=True)
class Open311Submission:
    category: Category
    point: Point
    description: str
    contact: tracker_services.Contact
    address: str = ""
    attributes: Mapping[str, AttributeValue] | None = None
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    photos: Sequence[IO[bytes]] = ()
    language: str = "de"


def open311_request_create(
    submission: Open311Submission, *, api_key: ApiKey, jurisdiction: Authority | None = None
) -> tuple[Report, RequestToken]:
    """File an Open311 service request as a report (source "open311").

    Raises OutsideJurisdiction, and whatever report_create raises (ValidationError,
    OutsideServiceArea, PhotoRejected). The reporter is a guest: the report reaches the
    authority at once and becomes public when the citizen confirms it from the e-mail, or
    at once when the key is `trusted` (the client verified the citizen).
    """
    if jurisdiction is not None:
        check_jurisdiction(jurisdiction, submission.point, submission.category)
    if not submission.description.strip():
        # report_create says the same in its words; the Open311 field name is `description`.
        raise ValidationError({"description": [_("Bitte beschreiben Sie das Problem.")]})
    with transaction.atomic():
        report = tracker_services.report_create(
            category=submission.category,
            point=submission.point,
            description=submission.description,
            contact=submission.contact,
            address=submission.address,
            photos=submission.photos,
            source=Report.Source.OPEN311,
            language=submission.language,
        )
        RequestAttributes.objects.create(
            report=report,
            api_key=api_key,
            values=dict(submission.attributes or {}),
            device_id=submission.device_id[:200],
            account_id=submission.account_id[:200],
            media_url=submission.media_url[:1000],
        )
        token = RequestToken.objects.create(token=secrets.token_urlsafe(24), report=report)
        if api_key.trusted:
            # The client verified the citizen itself: public at once, recorded in the history
            # as the confirmation (the same service as the e-mail link).
            report = tracker_services.report_confirm(report)
    return report, token
