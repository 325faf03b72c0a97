"""Working on a report: assignment, taking it, priority, notes and photos."""

from __future__ import annotations

from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.images import process_photo

from .. import permissions
from ..models import Photo, Priority, Report, ReportEvent, Status, Team
from ..workflow import WorkflowError, planned_by_assignment
from .common import (
    add_event,
    change_status,
    clean_text,
    delete_files,
    lock,
    notify_citizens,
    require_open,
    require_view,
    store_photo,
    sync,
)
from .redaction import ensure_redacted

MAX_STAFF_PHOTOS = 20


def report_assign(
    report: Report, *, team: Team | None = None, user: User | None = None, by: User
) -> Report:
    """Assign to a team and/or a person of the report's authority (both None: unassign).
    Internal: the citizen is not told who works on it."""
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "assign")
        require_open(locked)
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
        add_event(
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
        if names:
            _plan_if_in_triage(locked, by=by)
    return sync(report, locked)


def _plan_if_in_triage(locked: Report, *, by: User) -> None:
    """The assignment rule (tracker.workflow.PLANNED_BY_ASSIGNMENT): a report given to
    someone while it still waits for triage is accepted — status "eingeplant", a public
    status entry, the citizen is told."""
    transition = planned_by_assignment(locked.status)
    if transition is not None:
        change_status(locked, transition, by=by, note="", public_note=True)


def report_take(report: Report, *, by: User) -> Report:
    """A crew member takes a report of their team (or a dispatcher one of the authority).
    A report still in triage is accepted by taking it (see _plan_if_in_triage)."""
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "take")
        require_open(locked)
        locked.assigned_to = by
        locked.save()
        add_event(
            locked,
            ReportEvent.Kind.ASSIGNED,
            by=by,
            is_public=False,
            team_id=locked.assigned_team_id,
            assignee=by,
            note=_("Übernommen von %(who)s") % {"who": by.email},
        )
        _plan_if_in_triage(locked, by=by)
    return sync(report, locked)


def report_set_priority(report: Report, *, priority: int, by: User) -> Report:
    if priority not in Priority.values:
        raise WorkflowError({"priority": [_("Unbekannte Priorität.")]})
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "priority")
        require_open(locked)
        if locked.priority != priority:
            old = locked.get_priority_display()
            locked.priority = priority
            locked.save()
            add_event(
                locked,
                ReportEvent.Kind.PRIORITY,
                by=by,
                is_public=False,
                note=_("Priorität: %(old)s → %(new)s")
                % {"old": old, "new": locked.get_priority_display()},
            )
    return sync(report, locked)


def report_add_note(report: Report, *, by: User, text: str, public: bool = False) -> ReportEvent:
    """An internal note (staff of the authority only) or, with public=True, a public comment
    that the citizen is told about (e.g. from a response template)."""
    text = clean_text(text, field="text", required=True)
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "comment" if public else "note")
        event = add_event(
            locked,
            ReportEvent.Kind.COMMENT if public else ReportEvent.Kind.NOTE,
            by=by,
            note=text,
            is_public=public,
        )
        # The report changed for the queue ("aktualisiert"), even if no column did.
        Report.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        notify_citizens(event)
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
    require_view(by, report)
    permissions.authorize(by, report, "photo")
    processed = process_photo(file, filename=getattr(file, "name", None))
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = lock(report)
            require_view(by, locked)
            permissions.authorize(by, locked, "photo")
            if locked.status == Status.DUPLICATE:
                raise WorkflowError(_("Fotos gehören zur ursprünglichen Meldung."))
            if locked.photos.count() >= MAX_STAFF_PHOTOS:
                raise WorkflowError(
                    _("Höchstens %(max)d Fotos pro Meldung.") % {"max": MAX_STAFF_PHOTOS}
                )
            photo = store_photo(locked, processed, kind, stored)
            if public:
                photo.report = locked
                ensure_redacted(photo)  # blurred before it is public, not after the task
                photo.is_public = True
                photo.save(update_fields=["is_public"])
            add_event(
                locked,
                ReportEvent.Kind.PHOTO,
                by=by,
                is_public=False,
                note=_("Foto hinzugefügt (%(kind)s)") % {"kind": photo.get_kind_display()},
            )
            Report.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    except BaseException:
        delete_files(stored)
        raise
    return photo
