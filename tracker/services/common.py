"""Shared steps of the report services: locking, checks, history entries, photo files.

Each workflow function locks the report (select_for_update), checks the actor's permission
(tracker.permissions) and the current status (tracker.workflow), changes it, writes a
ReportEvent and queues notifications on commit. Refusals raise NotPermitted (403) or
WorkflowError (a ValidationError, 400) before anything is written.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from accounts.models import User
from core.images import ProcessedPhoto
from outbox import enqueue_on_commit

from .. import permissions
from ..models import Category, Photo, Report, ReportEvent
from ..permissions import NotPermitted
from ..workflow import Transition, WorkflowError

MAX_NOTE = 5000


def store_photo(report: Report, processed: ProcessedPhoto, kind: str, stored: list[str]) -> Photo:
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
    # The unblurred photo for staff; `image` becomes the blurred public version when the
    # task below has run (tracker.services.redaction).
    photo.original.save(f"{stem}.{processed.extension}", ContentFile(processed.image), save=False)
    stored.append(photo.original.name)
    photo.thumbnail.save(
        f"{stem}.{processed.extension}", ContentFile(processed.thumbnail), save=False
    )
    stored.append(photo.thumbnail.name)
    photo.save()
    enqueue_on_commit("tracker.redact_photo", photo.pk)
    return photo


def delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def lock(report: Report | int) -> Report:
    pk = report if isinstance(report, int) else report.pk
    # No select_related: FOR UPDATE cannot lock the nullable side of an outer join.
    return Report.objects.select_for_update().get(pk=pk)


def sync(target: Report, source: Report) -> Report:
    """Copy the saved state into the caller's instance, so it does not go stale."""
    if target is not source:
        for field in Report._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
    return target


def clean_text(text: str, *, field: str, required: bool, message: str = "") -> str:
    text = (text or "").strip()
    if required and not text:
        raise WorkflowError({field: [message or _("Bitte geben Sie einen Text ein.")]})
    if len(text) > MAX_NOTE:
        raise WorkflowError(
            {field: [_("Höchstens %(max)d Zeichen.") % {"max": MAX_NOTE}]},
        )
    return text


def add_event(report: Report, kind: str, *, by: User | None, **fields: Any) -> ReportEvent:
    fields.setdefault("authority_id", report.authority_id)
    return ReportEvent.objects.create(report=report, kind=kind, actor=by, **fields)


def notify_citizens(event: ReportEvent) -> None:
    """Tell the reporter and supporters about a public change (task takes the event id)."""
    if event.is_public:
        enqueue_on_commit("notifications.report_updated", event.pk)


def require_view(by: User, report: Report) -> None:
    if not permissions.can_view(by, report):
        raise NotPermitted(_("Diese Meldung gehört nicht zu Ihrer Stelle."))


def require_photo_right(by: User, report: Report, photo: Photo) -> None:
    """Release a photo or change its blurred areas: moderators any photo; a crew only the
    "after" photos of its own work."""
    require_view(by, report)
    if "moderate" in permissions.role_actions(by, report):
        return
    permissions.authorize(by, report, "photo_visibility")
    if photo.kind != Photo.Kind.AFTER:
        raise NotPermitted(_("Fotos der meldenden Person gibt die Disposition frei."))


def require_open(report: Report) -> None:
    if not report.is_open:
        raise WorkflowError(
            _("Die Meldung ist im Status „%(status)s“ abgeschlossen.")
            % {"status": report.get_status_display()}
        )


def change_status(
    report: Report,
    transition: Transition,
    *,
    by: User,
    note: str,
    public_note: bool,
    kind: str = ReportEvent.Kind.STATUS,
    **event_fields: Any,
) -> ReportEvent:
    """Set the new status and record it. A status change is always public (the citizen sees
    the status anyway); an internal note is stored as a separate internal entry."""
    from_status = report.status
    report.status = transition.target
    report.save()
    event = add_event(
        report,
        kind,
        by=by,
        from_status=from_status,
        to_status=transition.target,
        note=note if public_note else "",
        is_public=True,
        **event_fields,
    )
    if note and not public_note:
        add_event(
            report,
            ReportEvent.Kind.NOTE,
            by=by,
            note=note,
            is_public=False,
            authority_id=event.authority_id,
            to_authority_id=event.to_authority_id,
        )
    notify_citizens(event)
    return event


def check_after_photo(report: Report) -> None:
    category = Category.objects.only("requires_after_photo").get(pk=report.category_id)
    if category.requires_after_photo and not report.photos.filter(kind=Photo.Kind.AFTER).exists():
        raise WorkflowError(
            _("Für diese Kategorie ist vor dem Erledigt-Melden ein Foto nach der Erledigung nötig.")
        )
