"""State changes of reports. Every change is a function here: atomic, checked, recorded as a
ReportEvent, with follow-up work queued on commit (docs/architecture.md, convention 1)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.services import route
from notifications import tasks
from notifications.queue import enqueue_on_commit

from .models import Category, Photo, Report, ReportEvent, Support
from .photos import ProcessedPhoto, process_photo

MAX_PHOTOS = 5
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class Contact:
    email: str = ""
    name: str = ""
    phone: str = ""


def _token() -> str:
    return secrets.token_urlsafe(32)


def _store_photo(report: Report, processed: ProcessedPhoto, kind: str, stored: list[str]) -> Photo:
    photo = Photo(
        report=report,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        sha256=processed.sha256,
        kind=kind,
    )
    # Random names: photo URLs must not be guessable from the report number.
    stem = secrets.token_hex(12)
    photo.image.save(f"{stem}.{processed.extension}", ContentFile(processed.image), save=False)
    stored.append(photo.image.name)
    photo.thumbnail.save(
        f"{stem}.{processed.extension}", ContentFile(processed.thumbnail), save=False
    )
    stored.append(photo.thumbnail.name)
    photo.save()
    return photo


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


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
    tracker.photos.PhotoRejected. On any failure nothing is stored: no report, no photo file.
    """
    contact = contact or Contact()
    errors: dict[str, list[str]] = {}
    description = description.strip()
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
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(
            _("Höchstens %(max)d Fotos pro Meldung.") % {"max": MAX_PHOTOS}
        )
    if not category.is_active:
        errors.setdefault("category", []).append(_("Diese Kategorie ist nicht mehr verfügbar."))
    if errors:
        raise ValidationError(errors)

    # Decode and clean every photo before anything is stored: a bad photo rejects the whole
    # report with nothing half-written.
    processed = [process_photo(photo, filename=getattr(photo, "name", None)) for photo in photos]
    decision = route(point, category)

    stored_files: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            report = Report.objects.create(
                category=category,
                location=point,
                address=address.strip()[:300],
                description=description,
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
                language=language,
                # A logged-in, email-verified account needs no extra confirmation round.
                confirmed_at=now if reporter is not None else None,
                confirmation_token=_token(),
                tracking_token=_token(),
                source=source,
            )
            for item in processed:
                _store_photo(report, item, Photo.Kind.BEFORE, stored_files)
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.CREATED,
                actor=reporter,
                to_status=report.status,
                note=_("Meldung eingegangen; zuständig: %(authority)s")
                % {"authority": decision.authority.name},
            )
            enqueue_on_commit(tasks.report_received, report.pk)
    except BaseException:
        _delete_files(stored_files)
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


def reports_attach_to_account(user: User, email: str) -> int:
    """Attach guest reports made with `email` (now verified for `user`) to the account."""
    with transaction.atomic():
        count = Report.objects.filter(reporter__isnull=True, reporter_email=email.lower()).update(
            reporter=user
        )
        Support.objects.filter(user__isnull=True, email=email.lower()).update(user=user)
    return count


def account_delete(user: User) -> None:
    """DSGVO erasure: remove personal data, keep the reports anonymised for the authorities."""
    with transaction.atomic():
        Report.objects.filter(reporter=user).update(
            reporter=None, reporter_email="", reporter_name="", reporter_phone=""
        )
        Support.objects.filter(Q(user=user) | Q(email=user.email.lower())).delete()
        user.delete()
