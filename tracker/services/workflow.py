"""Staff workflow: status changes, rejection, forwarding to another authority."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.models import Authority
from outbox import enqueue_on_commit

from .. import permissions
from ..models import Report, ReportEvent
from ..signals import report_reached_authority
from ..workflow import SPECIAL_ACTIONS, Transition, WorkflowError, check_action, transition_for
from .common import (
    change_status,
    check_after_photo,
    clean_text,
    lock,
    require_view,
    sync,
)


def _run_transition(
    report: Report,
    pick: Callable[[str], Transition],
    *,
    by: User,
    note: str,
    public_note: bool,
) -> Report:
    note = clean_text(note, field="note", required=False)
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
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
            check_after_photo(locked)
        change_status(locked, transition, by=by, note=note, public_note=public_note)
    return sync(report, locked)


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
    reason = clean_text(
        reason, field="reason", required=True, message=_("Bitte begründen Sie die Ablehnung.")
    )
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "reject")
        transition = check_action("reject", locked.status)
        locked.assigned_to = None
        change_status(locked, transition, by=by, note=reason, public_note=True)
    return sync(report, locked)


def report_forward_to_authority(
    report: Report, *, authority: Authority, by: User, note: str, public_note: bool = False
) -> Report:
    """Not ours: hand the report to another authority. The report is re-routed (its authority
    changes, the assignment is cleared), the history keeps who had it and who has it now, the
    citizen is told who is responsible now, and the new authority gets the "new report" email.
    The note goes to the receiving authority (internal unless `public_note`)."""
    note = clean_text(
        note,
        field="note",
        required=True,
        message=_("Bitte schreiben Sie der anderen Stelle, warum Sie weiterleiten."),
    )
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
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
        event = change_status(
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
    return sync(report, locked)
