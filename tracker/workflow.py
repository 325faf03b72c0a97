"""The status workflow in one place: which status may follow which, and under what action name.

The action names are also the permission names in tracker.permissions and the buttons the staff
pages show (`allowed_actions`). Every transition runs through a service in tracker.services;
the ones that need more than a note have their own service:

    reject     → report_reject (a reason is required, shown to the citizen)
    duplicate  → report_mark_duplicate (links the original, moves supporters there)
    forward    → report_forward_to_authority (re-routes to another authority)
    close      → report_close (an "after" photo when the category requires one)
    reopen     → report_reopen

```
 new ─┬─► in_review ─┬─► planned ─► in_progress ─► done ──┐
      │              │      ▲  └──────────┬─────────▲      │ reopen
      ├──────────────┴──────┘  (pause) ◄──┘         │      ▼
      │  planned ─► done (closed without a work step)   in_review
      └─► rejected / duplicate / forwarded (from new, forwarded, in_review, planned)
 assigning a team/person or taking a report in triage (new, forwarded, in_review) = accept
 forwarded behaves like new for the receiving authority; rejected ─► reopen ─► in_review
```
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import Status


class WorkflowError(ValidationError):
    """A state change that is not allowed now (wrong status, missing reason or photo …).
    A ValidationError, so forms can show it; the message is German and meant for people."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: StrOrPromise


# Statuses in which a report still waits for triage at its (possibly new) authority.
TRIAGE = frozenset({Status.NEW, Status.FORWARDED, Status.IN_REVIEW})
# Statuses from which a report can still leave without being worked on.
BEFORE_WORK = TRIAGE | {Status.PLANNED}

TRANSITIONS: tuple[Transition, ...] = (
    Transition("review", frozenset({Status.NEW, Status.FORWARDED}), Status.IN_REVIEW, _("prüfen")),
    Transition("accept", TRIAGE, Status.PLANNED, _("annehmen / einplanen")),
    Transition("start", frozenset({Status.PLANNED}), Status.IN_PROGRESS, _("Arbeit beginnen")),
    Transition("pause", frozenset({Status.IN_PROGRESS}), Status.PLANNED, _("zurückstellen")),
    Transition(
        "close", frozenset({Status.PLANNED, Status.IN_PROGRESS}), Status.DONE, _("erledigt melden")
    ),
    Transition("reject", BEFORE_WORK, Status.REJECTED, _("ablehnen")),
    Transition("duplicate", BEFORE_WORK, Status.DUPLICATE, _("als Duplikat markieren")),
    Transition("forward", BEFORE_WORK, Status.FORWARDED, _("weiterleiten")),
    Transition(
        "reopen", frozenset({Status.DONE, Status.REJECTED}), Status.IN_REVIEW, _("wieder öffnen")
    ),
)

TRANSITIONS_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}

# Transitions that need more than a note; report_transition refuses them and names the service.
SPECIAL_ACTIONS = frozenset({"reject", "duplicate", "forward"})

# Actions that change no status (see tracker.permissions for who may do them).
# photo_visibility releases or hides a photo; moderate edits or hides the public description,
# reviews citizens' comments and resolves abuse flags (tracker.services.moderation);
# "privacy" marks the description free of personal data (it survives the anonymisation).
OTHER_ACTIONS = frozenset(
    {"assign", "take", "priority", "note", "comment", "photo", "bulk", "privacy"}
    | {"photo_visibility", "moderate"}
)
ALL_ACTIONS = frozenset(TRANSITIONS_BY_ACTION) | OTHER_ACTIONS


# The assignment rule: giving a report that still waits for triage to a team or a person
# (report_assign, bulk assign, or a crew member taking it with report_take) accepts it — the
# same status change as "accept", recorded as its own public ReportEvent. So a report a crew
# can see as theirs is at least "eingeplant", and "start" is the next step.
PLANNED_BY_ASSIGNMENT = TRANSITIONS_BY_ACTION["accept"]


def planned_by_assignment(status: str) -> Transition | None:
    """The transition an assignment triggers from `status` (None: the status stays)."""
    return PLANNED_BY_ASSIGNMENT if status in PLANNED_BY_ASSIGNMENT.sources else None


def transition_for(from_status: str, to_status: str) -> Transition:
    """The transition from one status to another, or a WorkflowError saying it is not allowed."""
    for transition in TRANSITIONS:
        if transition.target == to_status and from_status in transition.sources:
            return transition
    if to_status not in Status.values:
        raise WorkflowError(_("Unbekannter Status: %(status)s") % {"status": to_status})
    raise WorkflowError(
        _("Eine Meldung im Status „%(from)s“ kann nicht auf „%(to)s“ gesetzt werden.")
        % {"from": Status(from_status).label, "to": Status(to_status).label}
    )


def check_action(action: str, from_status: str) -> Transition:
    """The transition of `action` if it is allowed from `from_status`, else WorkflowError."""
    transition = TRANSITIONS_BY_ACTION[action]
    if from_status not in transition.sources:
        raise WorkflowError(
            _("„%(action)s“ ist im Status „%(status)s“ nicht möglich.")
            % {"action": transition.label, "status": Status(from_status).label}
        )
    return transition


def actions_from(status: str) -> set[str]:
    """Status actions possible from `status` (before permissions)."""
    return {t.action for t in TRANSITIONS if status in t.sources}
