"""POST servicerequestupdates (FixMyStreet's update extension): what a client's update does.

Who may do what depends on the API key:

* a key with `acts_as` belongs to an authority's back-office system (often the one our
  reports are forwarded to, tracker.open311.outbound). Its `status` moves our workflow through
  the staff services in tracker.services, in the name of that account — so the account's
  roles (tracker.permissions) and the workflow table (tracker.workflow) decide, exactly as for
  a person. `service_request_id` may be our id or the id the back-office gave the report when
  we forwarded it (OutboundDelivery.remote_id).
* any other key is a citizen-facing app (e.g. a FixMyStreet installation): its update is a
  public comment on a public request (or on a request it filed itself); `status` is checked
  but changes nothing. Where the report's authority reviews citizens' comments first
  (tracker.ModerationSettings), the comment is stored internal until staff publish it.

Each update is recorded once per key and client `update_id` (RequestUpdate): a repeated POST
answers with the history entry made the first time and changes nothing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.models import Authority
from core.params import is_int
from tracker import permissions
from tracker import services as tracker_services
from tracker.models import OPEN_STATUSES, Report, ReportEvent, Status
from tracker.services import moderation
from tracker.workflow import SPECIAL_ACTIONS, TRANSITIONS, WorkflowError, check_action

from .models import ApiKey, OutboundDelivery, RequestUpdate
from .selectors import in_jurisdiction

# FixMyStreet's statuses for updates (upper case, as its Open311 sender posts them; the
# mySociety open311-adapter accepts exactly these).
FMS_UPDATE_STATUSES = (
    "OPEN",
    "CLOSED",
    "FIXED",
    "IN_PROGRESS",
    "ACTION_SCHEDULED",
    "INVESTIGATING",
    "DUPLICATE",
    "NOT_COUNCILS_RESPONSIBILITY",
    "NO_FURTHER_ACTION",
    "INTERNAL_REFERRAL",
    "REOPEN",
    "FOR_TRIAGE",
)

# What a back-office status asks of an open report. OPEN/REOPEN reopen a closed one; DUPLICATE
# and INTERNAL_REFERRAL need an original or an authority that FixMyStreet does not send, so
# they only add the comment.
_OPEN_TARGETS: dict[str, str | None] = {
    "OPEN": None,
    "REOPEN": None,
    "CLOSED": Status.DONE,
    "FIXED": Status.DONE,
    "IN_PROGRESS": Status.IN_PROGRESS,
    "ACTION_SCHEDULED": Status.PLANNED,
    "INVESTIGATING": Status.IN_REVIEW,
    "FOR_TRIAGE": Status.IN_REVIEW,
    "NO_FURTHER_ACTION": Status.REJECTED,
    "NOT_COUNCILS_RESPONSIBILITY": Status.REJECTED,
    "DUPLICATE": None,
    "INTERNAL_REFERRAL": None,
}
# The statuses that reopen a closed report (to in_review, then on to their target).
_REOPENING = frozenset(
    {"OPEN", "REOPEN", "INVESTIGATING", "FOR_TRIAGE", "ACTION_SCHEDULED", "IN_PROGRESS"}
)


class UpdateTargetNotFound(Exception):
    """No request with that id that this key may update (404)."""


@dataclass(frozen=True)
class UpdateSubmission:
    service_request_id: str
    update_id: str
    status: str  # one of FMS_UPDATE_STATUSES
    description: str = ""
    media_url: str = ""


def _find_report(
    api_key: ApiKey, service_request_id: str, jurisdiction: Authority | None
) -> Report | None:
    reports = Report.objects.all()
    if jurisdiction is not None:
        reports = in_jurisdiction(reports, jurisdiction)
    actor = api_key.acts_as
    if actor is not None:
        # The back-office speaks its own ids first: the ones it answered our forwarding with.
        deliveries = OutboundDelivery.objects.filter(remote_id=service_request_id)
        if not actor.is_superuser:
            deliveries = deliveries.filter(
                endpoint__authority_id__in=permissions.authority_ids(actor)
            )
        report_id = deliveries.values_list("report_id", flat=True).first()
        if report_id is None and is_int(service_request_id):
            report_id = int(service_request_id)
        report = reports.filter(pk=report_id).first() if report_id is not None else None
        return report if report is not None and permissions.can_view(actor, report) else None
    if not is_int(service_request_id):
        return None
    # Citizens' apps: public requests, and the ones this key filed (before confirmation).
    return (
        reports.filter(pk=int(service_request_id))
        .filter(Q(confirmed_at__isnull=False) | Q(open311_attributes__api_key=api_key))
        .first()
    )


def _steps(current: str, target: str) -> list[str]:
    """The statuses to pass through from `current` to the open status `target`, along the
    workflow's plain transitions (no rejecting, forwarding, merging; reopening only first)."""
    path: list[str] = []
    if current not in OPEN_STATUSES:
        check_action("reopen", current)  # a duplicate stays closed: WorkflowError
        path.append(Status.IN_REVIEW)
        current = Status.IN_REVIEW
    if current == target:
        return path
    edges = [t for t in TRANSITIONS if t.action not in SPECIAL_ACTIONS and t.action != "reopen"]
    previous: dict[str, str] = {current: current}
    queue = deque([current])
    while queue:
        status = queue.popleft()
        for transition in edges:
            if status in transition.sources and transition.target not in previous:
                previous[transition.target] = status
                queue.append(transition.target)
    if target not in previous:
        raise WorkflowError(
            _("Eine Meldung im Status „%(from)s“ kann nicht auf „%(to)s“ gesetzt werden.")
            % {"from": Status(current).label, "to": Status(target).label}
        )
    forward: list[str] = []
    status = target
    while status != current:
        forward.append(status)
        status = previous[status]
    return path + forward[::-1]


def _back_office_update(report: Report, submission: UpdateSubmission, actor: User) -> ReportEvent:
    """Apply the status through the staff services, in the name of `actor`; returns the last
    history entry written."""
    target = _OPEN_TARGETS[submission.status]
    if report.status not in OPEN_STATUSES:
        # A closed report (done, rejected, duplicate) is reopened by an "open" status only;
        # FIXED, CLOSED, NO_FURTHER_ACTION … leave it closed and add the comment.
        target = (target or Status.IN_REVIEW) if submission.status in _REOPENING else None
    description = submission.description
    if target == report.status:
        target = None
    if target == Status.REJECTED:
        tracker_services.report_reject(
            report,
            reason=description or _("Keine weiteren Maßnahmen (Fachverfahren der Stelle)."),
            by=actor,
        )
        return _latest_status_event(report, actor, Status.REJECTED)
    if target is None:
        if not description:
            raise WorkflowError(
                {"description": [_("Ohne Statusänderung braucht die Aktualisierung einen Text.")]}
            )
        return tracker_services.report_add_note(report, by=actor, text=description, public=True)
    steps = _steps(report.status, target)
    for number, step in enumerate(steps, start=1):
        tracker_services.report_transition(
            report,
            step,
            by=actor,
            note=description if number == len(steps) else "",
            public_note=True,
        )
    return _latest_status_event(report, actor, steps[-1])


def _latest_status_event(report: Report, actor: User, status: str) -> ReportEvent:
    # The report row stays locked by our transaction, so this is the entry just written.
    return (
        ReportEvent.objects.filter(
            report=report, kind=ReportEvent.Kind.STATUS, actor=actor, to_status=status
        )
        .order_by("-id")
        .first()
    ) or ReportEvent.objects.filter(report=report).latest("id")


def _citizen_comment(report: Report, submission: UpdateSubmission) -> ReportEvent:
    """Public at once, or waiting for review where the authority reviews citizens' comments
    first (tracker.services.moderation)."""
    return moderation.report_add_citizen_comment(report, text=submission.description)


def open311_update_post(
    submission: UpdateSubmission, *, api_key: ApiKey, jurisdiction: Authority | None = None
) -> tuple[RequestUpdate, bool]:
    """Record a client's update once. Returns the RequestUpdate (its `event` is the history
    entry, whose id is the update_id we answer) and whether it was new.

    Raises UpdateTargetNotFound, tracker.permissions.NotPermitted (the back-office account
    lacks the role) and WorkflowError / ValidationError (the workflow does not allow it, or
    nothing to record); nothing is stored then."""
    existing = RequestUpdate.objects.filter(
        api_key=api_key, client_update_id=submission.update_id
    ).first()
    if existing is not None:
        return existing, False
    report = _find_report(api_key, submission.service_request_id, jurisdiction)
    if report is None:
        raise UpdateTargetNotFound
    try:
        with transaction.atomic():
            # Inserted first: a concurrent POST of the same update waits on the unique index
            # and then finds this row instead of writing a second entry.
            record = RequestUpdate.objects.create(
                api_key=api_key,
                client_update_id=submission.update_id,
                report=report,
                status=submission.status,
                media_url=submission.media_url[:1000],
            )
            if api_key.acts_as is not None:
                event = _back_office_update(report, submission, api_key.acts_as)
            else:
                event = _citizen_comment(report, submission)
            record.event = event
            record.save(update_fields=["event"])
    except IntegrityError:
        existing = RequestUpdate.objects.filter(
            api_key=api_key, client_update_id=submission.update_id
        ).first()
        if existing is None:
            raise
        return existing, False
    return record, True
