"""Intake: citizens file, confirm and support reports (docs/architecture.md, convention 1)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.reverse import PlaceName, place_label
from boundaries.services import RoutingDecision, route, route_with_place
from core.images import process_photo
from outbox import enqueue_on_commit

from .. import category_cache
from ..models import Category, Photo, Report, ReportEvent, Support
from ..signals import report_reached_authority
from . import intake_sql
from .common import delete_files, store_photo

MAX_PHOTOS = 5
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class Contact:
    email: str = ""
    name: str = ""
    phone: str = ""


def _token() -> str:
    return secrets.token_urlsafe(32)


def _require_offered_here(category: Category, decision: RoutingDecision) -> None:
    """A category limited to some authorities (`available_in`) is refused elsewhere, also
    for API clients that skip the form's filtering. The authorities covering the point come
    from the routing decision (asked once per report)."""
    offered_in = category_cache.offered_in(category)
    if offered_in and not offered_in & {a.id for a in decision.covering}:
        raise ValidationError(
            {"category": [_("Diese Kategorie wird an diesem Ort nicht angeboten.")]}
        )


def _intake_errors(
    category: Category, description: str, reporter: User | None, contact: Contact, photos: int
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not description:
        errors.setdefault("description", []).append(_("Bitte beschreiben Sie das Problem."))
    elif len(description) > MAX_DESCRIPTION:
        errors.setdefault("description", []).append(
            _("Die Beschreibung darf höchstens %(max)d Zeichen lang sein.")
            % {"max": MAX_DESCRIPTION}
        )
    if reporter is None and not contact.email:
        errors.setdefault("email", []).append(
            _("Ohne Konto brauchen wir Ihre E-Mail-Adresse für die Bestätigung.")
        )
    if photos > MAX_PHOTOS:
        errors.setdefault("photos", []).append(
            _("Höchstens %(max)d Fotos pro Meldung.") % {"max": MAX_PHOTOS}
        )
    if not category.is_active:
        errors.setdefault("category", []).append(_("Diese Kategorie ist nicht mehr verfügbar."))
    return errors


@dataclass(frozen=True)
class _Intake:
    category: Category
    point: Point
    description: str
    reporter: User | None
    contact: Contact
    address: str
    source: str
    language: str


# The place looked up at intake, kept on the new Report instance for the API's answer
# (tracker.api_created.report_created_body) so it is not looked up twice.
INTAKE_PLACE = "intake_place"


def _new_report(intake: _Intake, decision: RoutingDecision, place: PlaceName | None) -> Report:
    """The report as it will be stored (not saved yet: intake_sql writes it)."""
    now = timezone.now()
    category, reporter, contact = intake.category, intake.reporter, intake.contact
    # Without a typed address, the nearest house or street and the town from our data.
    address = intake.address.strip() or place_label(place)
    report = Report(
        category=category,
        location=intake.point,
        address=address[:300],
        description=intake.description,
        authority=decision.authority,
        routing_reason=str(decision.reason),
        routing_detail=decision.detail[:300],
        routing_distance_m=decision.distance_m,
        road_id=decision.road.id if decision.road else None,
        asset_id=decision.asset.id if decision.asset else None,
        reporter=reporter,
        reporter_email=(reporter.email if reporter else contact.email).lower(),
        reporter_name=contact.name.strip()[:150],
        reporter_phone=contact.phone.strip()[:50],
        language=intake.language,
        # A logged-in, email-verified account needs no extra confirmation round.
        confirmed_at=now if reporter is not None else None,
        confirmation_token=_token(),
        tracking_token=_token(),
        source=intake.source,
        priority=category.default_priority,
        # The category's target time (SLA) runs from intake.
        due_at=now + timedelta(days=category.target_days)
        if category.target_days is not None
        else None,
    )
    if not intake.address.strip():
        setattr(report, INTAKE_PLACE, place)
    return report


def _created_event(report: Report, decision: RoutingDecision) -> ReportEvent:
    return ReportEvent(
        report=report,
        kind=ReportEvent.Kind.CREATED,
        actor=report.reporter,
        authority=decision.authority,
        to_status=report.status,
        note=_("Meldung eingegangen; zuständig: %(authority)s")
        % {"authority": decision.authority.name},
    )


def report_create(
    *,
    category: Category,
    point: Point,
    description: str,
    reporter: User | None = None,
    contact: Contact | None = None,
    address: str = "",
    photos: Sequence[IO[bytes]] = (),
    source: str = Report.Source.WEB,
    language: str = "de",
) -> Report:
    """File a report: validate, route, store it with its photos, and queue the notifications.

    Raises ValidationError (field-level messages), boundaries.services.OutsideServiceArea, or
    core.images.PhotoRejected. On any failure nothing is stored: no report, no photo file.
    """
    contact = contact or Contact()
    description = description.strip()
    errors = _intake_errors(category, description, reporter, contact, len(photos))
    if errors:
        raise ValidationError(errors)
    # Decode and clean every photo before anything is stored: a bad photo rejects the whole
    # report with nothing half-written.
    processed = [process_photo(photo, filename=getattr(photo, "name", None)) for photo in photos]
    # Without a typed address, the nearest house or street is looked up with the routing.
    if address.strip():
        decision, place = route(point, category), None
    else:
        decision, place = route_with_place(point, category)
    _require_offered_here(category, decision)
    intake = _Intake(category, point, description, reporter, contact, address, source, language)
    report = _new_report(intake, decision, place)
    created = _created_event(report, decision)
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            # The report, its history row, the ledger entry and the outbox row of
            # "notifications.report_received" in one statement (intake_sql).
            intake_sql.insert_report(report, created)
            for item in processed:
                store_photo(report, item, Photo.Kind.BEFORE, stored_files)
            report_reached_authority.send(
                sender=Report, report=report, authority_id=decision.authority.pk, event=created
            )
    except BaseException:
        delete_files(stored_files)
        raise
    return report


def report_confirm(report: Report) -> Report:
    """The guest clicked the link in the confirmation email: the report becomes public."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.confirmed_at is None:
            locked.confirmed_at = timezone.now()
            locked.save(update_fields=["confirmed_at", "updated_at"])
            ReportEvent.objects.create(
                report=locked,
                kind=ReportEvent.Kind.CONFIRMED,
                note=_("E-Mail-Adresse bestätigt, Meldung veröffentlicht"),
            )
            enqueue_on_commit(
                "notifications.report_confirmed", locked.pk
            )  # area alerts (now public)
    return locked


def report_support(report: Report, *, user: User | None = None, email: str = "") -> Support:
    """ "Ich bin auch betroffen": count the person once and subscribe them to updates."""
    email = (user.email if user else email).strip().lower()
    if not email:
        raise ValidationError({"email": [_("Bitte geben Sie Ihre E-Mail-Adresse an.")]})
    if not report.is_open:
        raise ValidationError(
            {"report": [_("Diese Meldung ist abgeschlossen und kann nicht unterstützt werden.")]}
        )
    existing = Support.objects.filter(report=report, email=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            support = Support.objects.create(report=report, user=user, email=email)
            Report.objects.filter(pk=report.pk).update(supporter_count=F("supporter_count") + 1)
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.SUPPORTED,
                actor=user,
                note=_("Eine weitere Person ist betroffen."),
            )
    except IntegrityError:  # a concurrent click from the same person
        return Support.objects.get(report=report, email=email)
    report.refresh_from_db(fields=["supporter_count"])
    return support
