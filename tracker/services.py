"""State changes of reports. Every change is a function here: atomic, checked, recorded as a
ReportEvent, with follow-up work queued on commit (docs/architecture.md, convention 1)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.models import Authority
from boundaries.services import authorities_at, route
from core.images import ProcessedPhoto, process_photo
from outbox import enqueue_on_commit

from . import permissions
from .models import Category, Photo, Priority, Report, ReportEvent, Status, Support, Team
from .permissions import NotPermitted
from .signals import report_reached_authority
from .workflow import SPECIAL_ACTIONS, Transition, WorkflowError, check_action, transition_for

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


def _require_offered_here(category: Category, point: Point) -> None:
    """A category limited to some authorities (`available_in`) is refused elsewhere, also
    for API clients that skip the form's filtering."""
    offered_in = set(category.available_in.values_list("pk", flat=True))
    if offered_in and not offered_in & {a.id for a in authorities_at(point)}:
        raise ValidationError(
            {"category": [_("Diese Kategorie wird an diesem Ort nicht angeboten.")]}
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
    _require_offered_here(category, point)

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
                priority=category.default_priority,
                # The category's target time (SLA) runs from intake.
                due_at=now + timedelta(days=category.target_days)
                if category.target_days is not None
                else None,
            )
            for item in processed:
                _store_photo(report, item, Photo.Kind.BEFORE, stored_files)
            created = ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.CREATED,
                actor=reporter,
                authority=decision.authority,
                to_status=report.status,
                note=_("Meldung eingegangen; zuständig: %(authority)s")
                % {"authority": decision.authority.name},
            )
            enqueue_on_commit("notifications.report_received", report.pk)
            report_reached_authority.send(
                sender=Report, report=report, authority_id=decision.authority.pk, event=created
            )
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


# --------------------------------------------------------------------------------------------
# Staff workflow. Each function: locks the report (select_for_update), checks the actor's
# permission (tracker.permissions) and the current status (tracker.workflow), changes it,
# writes a ReportEvent and queues notifications on commit. Refusals raise NotPermitted (403)
# or WorkflowError (a ValidationError, 400) before anything is written.
# --------------------------------------------------------------------------------------------

MAX_NOTE = 5000
MAX_STAFF_PHOTOS = 20


def _lock(report: Report | int) -> Report:
    pk = report if isinstance(report, int) else report.pk
    # No select_related: FOR UPDATE cannot lock the nullable side of an outer join.
    return Report.objects.select_for_update().get(pk=pk)


def _sync(target: Report, source: Report) -> Report:
    """Copy the saved state into the caller's instance, so it does not go stale."""
    if target is not source:
        for field in Report._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
    return target


def _clean_text(text: str, *, field: str, required: bool, message: str = "") -> str:
    text = (text or "").strip()
    if required and not text:
        raise WorkflowError({field: [message or _("Bitte geben Sie einen Text ein.")]})
    if len(text) > MAX_NOTE:
        raise WorkflowError(
            {field: [_("Höchstens %(max)d Zeichen.") % {"max": MAX_NOTE}]},
        )
    return text


def _event(report: Report, kind: str, *, by: User | None, **fields: Any) -> ReportEvent:
    fields.setdefault("authority_id", report.authority_id)
    return ReportEvent.objects.create(report=report, kind=kind, actor=by, **fields)


def _notify_citizens(event: ReportEvent) -> None:
    """Tell the reporter and supporters about a public change (task takes the event id)."""
    if event.is_public:
        enqueue_on_commit("notifications.report_updated", event.pk)


def _require_view(by: User, report: Report) -> None:
    if not permissions.can_view(by, report):
        raise NotPermitted(_("Diese Meldung gehört nicht zu Ihrer Stelle."))


def _require_open(report: Report) -> None:
    if not report.is_open:
        raise WorkflowError(
            _("Die Meldung ist im Status „%(status)s“ abgeschlossen.")
            % {"status": report.get_status_display()}
        )


def _change_status(
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
    event = _event(
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
        _event(
            report,
            ReportEvent.Kind.NOTE,
            by=by,
            note=note,
            is_public=False,
            authority_id=event.authority_id,
            to_authority_id=event.to_authority_id,
        )
    _notify_citizens(event)
    return event


def _check_after_photo(report: Report) -> None:
    category = Category.objects.only("requires_after_photo").get(pk=report.category_id)
    if category.requires_after_photo and not report.photos.filter(kind=Photo.Kind.AFTER).exists():
        raise WorkflowError(
            _("Für diese Kategorie ist vor dem Erledigt-Melden ein Foto nach der Erledigung nötig.")
        )


def _run_transition(
    report: Report,
    pick: Callable[[str], Transition],
    *,
    by: User,
    note: str,
    public_note: bool,
) -> Report:
    note = _clean_text(note, field="note", required=False)
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        transition = pick(locked.status)
        if transition.action in SPECIAL_ACTIONS:
            messages = {
                "reject": _("Zum Ablehnen ist eine Begründung nötig."),
                "duplicate": _("Bitte geben Sie die ursprüngliche Meldung an."),
                "forward": _("Bitte geben Sie die Stelle an, an die weitergeleitet wird."),
            }
            raise WorkflowError(messages[transition.action])
        permissions.authorize(by, locked, transition.action)
        if transition.action == "close":
            _check_after_photo(locked)
        _change_status(locked, transition, by=by, note=note, public_note=public_note)
    return _sync(report, locked)


def report_transition(
    report: Report, to_status: str, *, by: User, note: str = "", public_note: bool = True
) -> Report:
    """Move a report to `to_status` along the table in tracker.workflow (review, accept, start,
    pause, close, reopen). Rejecting, marking as duplicate and forwarding need their own
    services (they need a reason, an original, an authority)."""
    return _run_transition(
        report,
        lambda status: transition_for(status, to_status),
        by=by,
        note=note,
        public_note=public_note,
    )


def report_close(report: Report, *, by: User, note: str = "", public_note: bool = True) -> Report:
    """Done. Needs an "after" photo first when the category requires one."""
    return _run_transition(
        report,
        lambda status: check_action("close", status),
        by=by,
        note=note,
        public_note=public_note,
    )


def report_reopen(report: Report, *, by: User, note: str = "", public_note: bool = True) -> Report:
    """Staff reopen a done or rejected report: back to "in Prüfung"."""
    return _run_transition(
        report,
        lambda status: check_action("reopen", status),
        by=by,
        note=note,
        public_note=public_note,
    )


def report_reject(report: Report, *, reason: str, by: User) -> Report:
    """Reject with a reason; the reason is shown to the citizen."""
    reason = _clean_text(
        reason, field="reason", required=True, message=_("Bitte begründen Sie die Ablehnung.")
    )
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        permissions.authorize(by, locked, "reject")
        transition = check_action("reject", locked.status)
        locked.assigned_to = None
        _change_status(locked, transition, by=by, note=reason, public_note=True)
    return _sync(report, locked)


def report_forward_to_authority(
    report: Report, *, authority: Authority, by: User, note: str, public_note: bool = False
) -> Report:
    """Not ours: hand the report to another authority. The report is re-routed (its authority
    changes, the assignment is cleared), the history keeps who had it and who has it now, the
    citizen is told who is responsible now, and the new authority gets the "new report" email.
    The note goes to the receiving authority (internal unless `public_note`)."""
    note = _clean_text(
        note,
        field="note",
        required=True,
        message=_("Bitte schreiben Sie der anderen Stelle, warum Sie weiterleiten."),
    )
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        permissions.authorize(by, locked, "forward")
        transition = check_action("forward", locked.status)
        if authority.pk == locked.authority_id:
            raise WorkflowError(_("Die Meldung liegt bereits bei dieser Stelle."))
        if not authority.is_active:
            raise WorkflowError(_("Diese Stelle nimmt keine Meldungen an."))
        old_authority = Authority.objects.only("name").get(pk=locked.authority_id)
        locked.authority = authority
        locked.assigned_team = None
        locked.assigned_to = None
        locked.routing_reason = "forwarded"
        locked.routing_detail = (
            _("Weitergeleitet von %(authority)s") % {"authority": old_authority.name}
        )[:300]
        locked.routing_distance_m = None
        event = _change_status(
            locked,
            transition,
            by=by,
            note=note,
            public_note=public_note,
            kind=ReportEvent.Kind.FORWARDED,
            authority_id=old_authority.pk,
            from_authority_id=old_authority.pk,
            to_authority_id=authority.pk,
        )
        enqueue_on_commit("notifications.report_forwarded", event.pk)
        report_reached_authority.send(
            sender=Report, report=locked, authority_id=authority.pk, event=event
        )
    return _sync(report, locked)


def _move_supports(duplicate: Report, original: Report) -> int:
    """Supporters (and with them the update subscriptions) of the duplicate, and its reporter,
    now back the original. Each person counts once. Returns how many were added."""
    taken_emails = set(original.supports.values_list("email", flat=True))
    taken_users = set(
        original.supports.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    if original.reporter_email:
        taken_emails.add(original.reporter_email)
    if original.reporter_id is not None:
        taken_users.add(original.reporter_id)
    moved = 0
    for support in list(duplicate.supports.all()):
        if support.email in taken_emails or (
            support.user_id is not None and support.user_id in taken_users
        ):
            support.delete()
            continue
        support.report = original
        support.save(update_fields=["report"])
        taken_emails.add(support.email)
        if support.user_id is not None:
            taken_users.add(support.user_id)
        moved += 1
    # The duplicate's reporter follows the original from now on (only a confirmed address).
    email = duplicate.reporter_email
    if (
        email
        and duplicate.confirmed_at is not None
        and email not in taken_emails
        and (duplicate.reporter_id is None or duplicate.reporter_id not in taken_users)
    ):
        Support.objects.create(report=original, user_id=duplicate.reporter_id, email=email)
        moved += 1
    original.supporter_count = original.supports.count()
    original.save(update_fields=["supporter_count", "updated_at"])
    duplicate.supporter_count = 0
    return moved


def report_mark_duplicate(report: Report, *, original: Report, by: User, note: str = "") -> Report:
    """The same problem was reported before: link the original, move supporters there and close
    this one as "Duplikat". Both must belong to the actor's authority."""
    note = _clean_text(note, field="note", required=False)
    if original.pk == report.pk:
        raise WorkflowError(_("Eine Meldung kann kein Duplikat von sich selbst sein."))
    with transaction.atomic():
        # Lock both in id order, so two merges in opposite directions cannot deadlock.
        first, second = sorted([report.pk, original.pk])
        locked_pair = {
            r.pk: r
            for r in Report.objects.select_for_update()
            .filter(pk__in=[first, second])
            .order_by("pk")
        }
        locked, locked_original = locked_pair[report.pk], locked_pair[original.pk]
        _require_view(by, locked)
        permissions.authorize(by, locked, "duplicate")
        transition = check_action("duplicate", locked.status)
        if not permissions.can_view(by, locked_original):
            raise WorkflowError(_("Die ursprüngliche Meldung gehört nicht zu Ihrer Stelle."))
        if locked_original.status == Status.DUPLICATE:
            raise WorkflowError(
                _("Meldung %(ref)s ist selbst ein Duplikat; bitte das Original wählen.")
                % {"ref": locked_original.reference}
            )
        moved = _move_supports(locked, locked_original)
        locked.duplicate_of = locked_original
        locked.assigned_to = None
        public_text = _("Duplikat von Meldung %(ref)s") % {"ref": locked_original.reference}
        _change_status(
            locked,
            transition,
            by=by,
            note=f"{public_text}. {note}" if note else public_text,
            public_note=True,
        )
        _event(
            locked_original,
            ReportEvent.Kind.MERGED,
            by=by,
            is_public=False,
            note=_(
                "Meldung %(ref)s als Duplikat zusammengeführt; %(n)d Unterstützung(en) übernommen."
            )
            % {"ref": locked.reference, "n": moved},
        )
    _sync(original, locked_original)
    return _sync(report, locked)


def report_assign(
    report: Report, *, team: Team | None = None, user: User | None = None, by: User
) -> Report:
    """Assign to a team and/or a person of the report's authority (both None: unassign).
    Internal: the citizen is not told who works on it."""
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        permissions.authorize(by, locked, "assign")
        _require_open(locked)
        if team is not None and team.authority_id != locked.authority_id:
            raise WorkflowError({"team": [_("Das Team gehört nicht zur zuständigen Stelle.")]})
        if user is not None and not permissions.can_be_assigned(user, locked.authority_id):
            raise WorkflowError(
                {"user": [_("Diese Person arbeitet nicht für die zuständige Stelle.")]}
            )
        locked.assigned_team = team
        locked.assigned_to = user
        locked.save()
        names = [str(x) for x in (team.name if team else None, user.email if user else None) if x]
        _event(
            locked,
            ReportEvent.Kind.ASSIGNED,
            by=by,
            is_public=False,
            team=team,
            assignee=user,
            note=(_("Zugewiesen an %(who)s") % {"who": ", ".join(names)})
            if names
            else _("Zuweisung aufgehoben"),
        )
    return _sync(report, locked)


def report_take(report: Report, *, by: User) -> Report:
    """A crew member takes a report of their team (or a dispatcher one of the authority)."""
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        permissions.authorize(by, locked, "take")
        _require_open(locked)
        locked.assigned_to = by
        locked.save()
        _event(
            locked,
            ReportEvent.Kind.ASSIGNED,
            by=by,
            is_public=False,
            team_id=locked.assigned_team_id,
            assignee=by,
            note=_("Übernommen von %(who)s") % {"who": by.email},
        )
    return _sync(report, locked)


def report_set_priority(report: Report, *, priority: int, by: User) -> Report:
    if priority not in Priority.values:
        raise WorkflowError({"priority": [_("Unbekannte Priorität.")]})
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        permissions.authorize(by, locked, "priority")
        _require_open(locked)
        if locked.priority != priority:
            old = locked.get_priority_display()
            locked.priority = priority
            locked.save()
            _event(
                locked,
                ReportEvent.Kind.PRIORITY,
                by=by,
                is_public=False,
                note=_("Priorität: %(old)s → %(new)s")
                % {"old": old, "new": locked.get_priority_display()},
            )
    return _sync(report, locked)


def report_add_note(report: Report, *, by: User, text: str, public: bool = False) -> ReportEvent:
    """An internal note (staff of the authority only) or, with public=True, a public comment
    that the citizen is told about (e.g. from a response template)."""
    text = _clean_text(text, field="text", required=True)
    with transaction.atomic():
        locked = _lock(report)
        _require_view(by, locked)
        permissions.authorize(by, locked, "comment" if public else "note")
        event = _event(
            locked,
            ReportEvent.Kind.COMMENT if public else ReportEvent.Kind.NOTE,
            by=by,
            note=text,
            is_public=public,
        )
        # The report changed for the queue ("aktualisiert"), even if no column did.
        Report.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        _notify_citizens(event)
    return event


def report_add_photo(
    report: Report,
    *,
    by: User,
    file: IO[bytes],
    kind: str = Photo.Kind.AFTER,
    public: bool = False,
) -> Photo:
    """A staff photo (by default "after"), cleaned like citizens' photos (core.images).
    Raises PhotoRejected for unusable files; nothing is stored then."""
    if kind not in Photo.Kind.values:
        raise WorkflowError({"kind": [_("Unbekannte Fotoart.")]})
    # Cheap checks first, so nobody makes us decode an image they may not attach.
    _require_view(by, report)
    permissions.authorize(by, report, "photo")
    processed = process_photo(file, filename=getattr(file, "name", None))
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _lock(report)
            _require_view(by, locked)
            permissions.authorize(by, locked, "photo")
            if locked.status == Status.DUPLICATE:
                raise WorkflowError(_("Fotos gehören zur ursprünglichen Meldung."))
            if locked.photos.count() >= MAX_STAFF_PHOTOS:
                raise WorkflowError(
                    _("Höchstens %(max)d Fotos pro Meldung.") % {"max": MAX_STAFF_PHOTOS}
                )
            photo = _store_photo(locked, processed, kind, stored)
            if public:
                photo.is_public = True
                photo.save(update_fields=["is_public"])
            _event(
                locked,
                ReportEvent.Kind.PHOTO,
                by=by,
                is_public=False,
                note=_("Foto hinzugefügt (%(kind)s)") % {"kind": photo.get_kind_display()},
            )
            Report.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    except BaseException:
        _delete_files(stored)
        raise
    return photo


# Bulk actions: each report on its own (its own transaction), with a result per report.


@dataclass(frozen=True)
class BulkResult:
    report_id: int
    ok: bool
    error: str = ""


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or _("Nicht erlaubt.")


def _bulk(
    report_ids: Iterable[int], *, by: User, apply: Callable[[Report], object]
) -> list[BulkResult]:
    ids = list(dict.fromkeys(report_ids))
    reports = Report.objects.in_bulk(ids)
    results: list[BulkResult] = []
    for pk in ids:
        report = reports.get(pk)
        # Reports of other authorities are "not found", as in the API: no existence leak.
        if report is None or not permissions.can_view(by, report):
            results.append(BulkResult(pk, False, _("Meldung nicht gefunden.")))
            continue
        try:
            permissions.authorize(by, report, "bulk")
            apply(report)
        except (ValidationError, PermissionDenied) as exc:
            results.append(BulkResult(pk, False, _error_text(exc)))
        else:
            results.append(BulkResult(pk, True))
    return results


def bulk_assign(
    report_ids: Iterable[int], *, team: Team | None = None, user: User | None = None, by: User
) -> list[BulkResult]:
    return _bulk(report_ids, by=by, apply=lambda r: report_assign(r, team=team, user=user, by=by))


def bulk_transition(
    report_ids: Iterable[int],
    to_status: str,
    *,
    by: User,
    note: str = "",
    public_note: bool = True,
) -> list[BulkResult]:
    return _bulk(
        report_ids,
        by=by,
        apply=lambda r: report_transition(r, to_status, by=by, note=note, public_note=public_note),
    )


def bulk_set_priority(report_ids: Iterable[int], *, priority: int, by: User) -> list[BulkResult]:
    return _bulk(
        report_ids, by=by, apply=lambda r: report_set_priority(r, priority=priority, by=by)
    )


def bulk_merge_duplicates(
    original: Report, duplicate_ids: Iterable[int], *, by: User, note: str = ""
) -> list[BulkResult]:
    """Merge several reports into `original` (each one as report_mark_duplicate)."""
    return _bulk(
        [pk for pk in duplicate_ids if pk != original.pk],
        by=by,
        apply=lambda r: report_mark_duplicate(r, original=original, by=by, note=note),
    )
