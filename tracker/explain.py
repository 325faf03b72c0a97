"""Why an action is not available to someone right now, and who can do it — derived from the
rules in tracker.permissions (roles, the crew's assignment rule) and tracker.workflow (which
status allows which action, and which step leads there), never written per page.

`unavailable(user, report)` answers for the actions a staff page would otherwise silently
leave out:

* actions the report's status allows but the user's role does not (or not on this report,
  for crews: only reports of their team) — "who can": the roles that may;
* when the user has no status step at all: the steps their role allows later, with the status
  they need and who brings the report there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role

from . import permissions
from .models import Report, Status
from .workflow import PLANNED_BY_ASSIGNMENT, TRANSITIONS, TRANSITIONS_BY_ACTION, actions_from

# Names of the actions that change no status, as the staff pages call them.
OTHER_LABELS = {
    "take": _lazy("übernehmen"),
    "assign": _lazy("zuweisen"),
    "priority": _lazy("Priorität ändern"),
    "comment": _lazy("öffentlich kommentieren"),
}
# Role order in sentences: the people one would ask first.
ROLE_ORDER = (Role.DISPATCHER, Role.ADMIN, Role.CREW)


@dataclass(frozen=True)
class Unavailable:
    actions: tuple[str, ...]
    labels: tuple[str, ...]
    reason: str


def action_label(action: str) -> str:
    transition = TRANSITIONS_BY_ACTION.get(action)
    return str(transition.label if transition else OTHER_LABELS.get(action, action))


def who_may(action: str) -> str:
    """The roles that may do `action`, in words ("Disposition oder Verwaltung der Stelle")."""
    names = []
    for role in ROLE_ORDER:
        if action in permissions.ROLE_ACTIONS.get(role, frozenset()):
            label = str(Role(role).label)
            if role == Role.CREW:
                label = _("%(role)s des zugewiesenen Teams") % {"role": label}
            names.append(label)
    return _(" oder ").join(names) if names else _("niemand")


def _quoted(labels: Iterable[str]) -> str:
    return ", ".join(f"„{label}“" for label in labels)


def _role_blocked(user: Any, report: Report, allowed: set[str]) -> list[Unavailable]:
    """Actions the status allows now that the user's role does not (grouped by who may)."""
    candidates = [t.action for t in TRANSITIONS if report.status in t.sources]
    if report.is_open:
        candidates += ["take", "assign"]
    crew_here = Role.CREW in permissions.roles_for(user, report.authority_id)
    assigned = permissions.is_assigned_to(user, report)
    groups: dict[str, list[str]] = {}
    for action in candidates:
        if action in allowed:
            continue
        if action == "take" and report.assigned_to_id == getattr(user, "pk", None):
            continue  # already theirs
        if crew_here and not assigned and action in permissions.ROLE_ACTIONS[Role.CREW]:
            reason = _(
                "Die Meldung ist weder Ihnen noch Ihrem Team zugewiesen. Zuweisen kann: %(who)s."
            ) % {"who": who_may("assign")}
        else:
            reason = _("Das kann: %(who)s.") % {"who": who_may(action)}
        groups.setdefault(reason, []).append(action)
    return [
        Unavailable(tuple(acts), tuple(action_label(a) for a in acts), reason)
        for reason, acts in groups.items()
    ]


def _steps_into(statuses: frozenset[str], current: str) -> list[str]:
    """The steps (with who may take them) that bring a report from `current` into one of
    `statuses`."""
    steps = [
        _("„%(step)s“ (%(who)s)") % {"step": t.label, "who": who_may(t.action)}
        for t in TRANSITIONS
        if t.target in statuses and current in t.sources
    ]
    if PLANNED_BY_ASSIGNMENT.target in statuses and current in PLANNED_BY_ASSIGNMENT.sources:
        steps.append(
            _("Zuweisen an ein Team oder eine Person (%(who)s) oder Übernehmen durch das Team")
            % {"who": who_may("assign")}
        )
    return steps


def _status_blocked(user: Any, report: Report, allowed: set[str]) -> list[Unavailable]:
    """When the user has no status step now: the ones their role allows one step later,
    with the status each needs and who brings the report there."""
    possible = actions_from(report.status)
    if not report.is_open or possible & allowed:
        return []
    own = permissions.role_actions(user, report)
    result = []
    for transition in TRANSITIONS:
        if transition.action not in own or transition.action in possible:
            continue
        steps = _steps_into(transition.sources, report.status)
        if not steps:
            continue
        needed = _quoted(
            str(label) for value, label in Status.choices if value in transition.sources
        )
        reason = " ".join(
            [
                _("Erst im Status %(needed)s möglich.") % {"needed": needed},
                _("Dahin bringt sie: %(steps)s.") % {"steps": _(" oder ").join(steps)},
            ]
        )
        result.append(Unavailable((transition.action,), (str(transition.label),), reason))
    return result


def unavailable(user: Any, report: Report, allowed: set[str] | None = None) -> list[Unavailable]:
    """What the user cannot do with the report now and why (empty for superusers)."""
    if not permissions.can_view(user, report) or permissions.is_superuser(user):
        return []
    if allowed is None:
        allowed = permissions.allowed_actions(user, report)
    return _role_blocked(user, report, allowed) + _status_blocked(user, report, allowed)
