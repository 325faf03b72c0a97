"""Who may see and do what with a report. One place for the rules; services enforce them,
pages and the API ask `allowed_actions` to show only the buttons that will work.

Rules
-----
* Staff are people with an `accounts.Membership` (role per authority). They see the reports
  whose *current* `report.authority` is one of their authorities — nothing else. A report
  forwarded away disappears from the old authority's queue and detail (its progress stays
  visible on the public page like any report); forwarded back, it reappears.
* Internal history entries (notes, internal forwarding notes) carry the authority responsible
  when they were written and are shown only to that authority's staff (a forwarding entry
  also to the receiving authority). Citizen contact data is shown to staff of the current
  authority only. The public API and pages never load either.
* Roles (actions are the names in tracker.workflow):
    - dispatcher ("Disposition"): everything in the workflow — triage, assign, priority,
      forward, reject, duplicate, reopen, close, public comments, notes, photos, bulk.
    - admin ("Verwaltung der Stelle"): the same, plus teams, members and response templates
      in the Django admin (tracker.admin).
    - crew ("Außendienst/Kolonne"): works reports assigned to them or to one of their teams:
      take (assign to themselves), start, pause, close, internal notes, photos, and release or
      hide the "after" photos of that work. No forwarding, rejecting, assigning others or
      moderating citizens' photos, descriptions and comments.
    - planner ("Planung"): read only (including internal notes).
* Superusers manage authorities and may do everything everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Membership, Role

from .models import Report, Status
from .workflow import ALL_ACTIONS, TRANSITIONS_BY_ACTION

# Actions each role may take on a report of its authority (before the status check).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: ALL_ACTIONS,
    Role.DISPATCHER: ALL_ACTIONS,
    # photo_visibility: crews release or hide the "after" photos of their own work only
    # (tracker.services.moderation checks the photo's kind); citizens' photos, descriptions,
    # comments and abuse flags are moderated by dispatchers and admins ("moderate").
    Role.CREW: frozenset({"take", "start", "pause", "close", "note", "photo", "photo_visibility"}),
    Role.PLANNER: frozenset(),
}
# Roles whose members can be assigned reports.
ASSIGNABLE_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER, Role.CREW})
# Actions that only make sense while the report is open.
OPEN_ONLY = frozenset({"assign", "take", "priority", "bulk"})

_ROLES_CACHE = "_tracker_staff_roles"
_TEAMS_CACHE = "_tracker_team_ids"


class NotPermitted(PermissionDenied):
    """The user may not do this (403). The message is German and meant for people."""


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def staff_roles(user: Any) -> dict[int, frozenset[str]]:
    """authority id → the user's roles there. Cached on the user object for the request."""
    if not _is_authenticated(user):
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        for authority_id, role in Membership.objects.filter(user=user).values_list(
            "authority_id", "role"
        ):
            roles.setdefault(authority_id, set()).add(role)
        cached = {key: frozenset(value) for key, value in roles.items()}
        setattr(user, _ROLES_CACHE, cached)
    return cached


def assume_roles(user: Any, roles: Iterable[tuple[int, str]]) -> None:
    """Give `user` these (authority id, role) memberships for the request without reading
    them: for tracker.staff.fastpath, whose statement checks in the same snapshot that they are
    still exactly the user's memberships."""
    assumed: dict[int, set[str]] = {}
    for authority_id, role in roles:
        assumed.setdefault(authority_id, set()).add(role)
    setattr(user, _ROLES_CACHE, {key: frozenset(value) for key, value in assumed.items()})


def team_ids(user: Any) -> frozenset[int]:
    if not _is_authenticated(user):
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _TEAMS_CACHE, None)
    if cached is None:
        cached = frozenset(user.teams.values_list("id", flat=True))
        setattr(user, _TEAMS_CACHE, cached)
    return cached


def forget(user: Any) -> None:
    """Drop the cached roles and teams (after memberships changed)."""
    for name in (_ROLES_CACHE, _TEAMS_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def is_superuser(user: Any) -> bool:
    return _is_authenticated(user) and bool(user.is_superuser)


def is_staff_member(user: Any) -> bool:
    """Has any membership (or is a superuser): may use the staff API and pages."""
    return is_superuser(user) or bool(staff_roles(user))


def authority_ids(user: Any, roles: Iterable[str] | None = None) -> set[int]:
    """Authorities where the user has any of `roles` (any role when None). Not meaningful
    for superusers, who see everything (check is_superuser first)."""
    wanted = None if roles is None else set(roles)
    return {
        authority_id
        for authority_id, have in staff_roles(user).items()
        if wanted is None or have & wanted
    }


def roles_for(user: Any, authority_id: int) -> frozenset[str]:
    if is_superuser(user):
        return frozenset(Role.values)
    return staff_roles(user).get(authority_id, frozenset())


def can_view(user: Any, report: Report) -> bool:
    return is_superuser(user) or report.authority_id in staff_roles(user)


def is_assigned_to(user: Any, report: Report) -> bool:
    """The report is the user's work: assigned to them or to one of their teams."""
    if report.assigned_to_id is not None and report.assigned_to_id == user.pk:
        return True
    return report.assigned_team_id is not None and report.assigned_team_id in team_ids(user)


def role_actions(user: Any, report: Report) -> set[str]:
    """Actions the user's roles allow on this report, regardless of its status."""
    if not can_view(user, report):
        return set()
    actions: set[str] = set()
    for role in roles_for(user, report.authority_id):
        allowed = ROLE_ACTIONS.get(role, frozenset())
        if role == Role.CREW and not is_assigned_to(user, report):
            continue
        actions |= allowed
    return actions


def allowed_actions(user: Any, report: Report) -> set[str]:
    """What the user can do with the report right now: role and status both allow it.
    Pages show exactly these buttons; the services check the same rules again."""
    actions = role_actions(user, report)
    result: set[str] = set()
    for action in actions:
        transition = TRANSITIONS_BY_ACTION.get(action)
        if transition is not None:
            if report.status in transition.sources:
                result.add(action)
        elif action in OPEN_ONLY:
            if report.is_open:
                result.add(action)
        elif action == "photo":
            if report.status != Status.DUPLICATE:
                result.add(action)
        else:
            result.add(action)
    if "take" in result and report.assigned_to_id == user.pk:
        result.discard("take")
    return result


def authorize(user: Any, report: Report, action: str) -> None:
    """Raise NotPermitted unless the user's roles allow `action` on this report."""
    if not _is_authenticated(user):
        raise NotPermitted(_("Bitte melden Sie sich an."))
    if not can_view(user, report):
        raise NotPermitted(_("Diese Meldung gehört nicht zu Ihrer Stelle."))
    if action not in role_actions(user, report):
        if Role.CREW in roles_for(user, report.authority_id) and action in ROLE_ACTIONS[Role.CREW]:
            raise NotPermitted(_("Diese Meldung ist nicht Ihnen oder Ihrem Team zugewiesen."))
        raise NotPermitted(_("Ihre Rolle erlaubt diese Aktion nicht."))


def visible_events_q(user: Any) -> Q:
    """History entries the user may read: public ones, and internal ones written while one of
    the user's authorities was responsible (or forwarded to it)."""
    if is_superuser(user):
        return Q()
    ids = authority_ids(user)
    return Q(is_public=True) | Q(authority_id__in=ids) | Q(to_authority_id__in=ids)


def can_be_assigned(user: Any, authority_id: int) -> bool:
    """Whether a person may be given reports of this authority."""
    return bool(roles_for(user, authority_id) & ASSIGNABLE_ROLES)
