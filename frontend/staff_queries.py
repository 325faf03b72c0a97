"""Reads for the staff pages that tracker.selectors does not offer as such: the choices of the
queue's filter and bulk forms across all of a user's authorities, and looking a report up by
the number citizens quote ("2026-000042"). Permission rules stay in tracker.permissions."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from boundaries.models import Authority
from tracker import permissions, selectors
from tracker.models import Category, Report, ResponseTemplate, Team

# "2026-000042", "2026-42", "#42" or "42": the id is the last group of digits.
_REFERENCE = re.compile(r"^\s*#?\s*(?:\d{4}\s*-\s*)?0*(\d{1,12})\s*$")


def _scope(user: Any, roles: set[str] | None = None) -> set[int] | None:
    """Authority ids the user works for (None: all, for superusers)."""
    if permissions.is_superuser(user):
        return None
    return permissions.authority_ids(user, roles)


def staff_teams(user: Any) -> QuerySet[Team]:
    """Teams of the user's authorities (filter and bulk-assign choices)."""
    teams = Team.objects.select_related("authority").order_by("authority__name", "name")
    ids = _scope(user)
    return teams if ids is None else teams.filter(authority_id__in=ids)


def staff_categories() -> QuerySet[Category]:
    """Categories for the queue filter: every category, as reports of an inactive one may
    still be waiting in a queue."""
    return Category.objects.order_by("sort_order", "name")


def bulk_assignable_users(user: Any) -> QuerySet[User]:
    """People a dispatcher may give reports to: assignable members of the authorities where
    the user may use bulk actions."""
    people = User.objects.filter(is_active=True, memberships__role__in=permissions.ASSIGNABLE_ROLES)
    ids = _scope(
        user, {role for role, actions in permissions.ROLE_ACTIONS.items() if "bulk" in actions}
    )
    if ids is not None:
        people = people.filter(memberships__authority_id__in=ids)
    return people.distinct().order_by("email")


def works_for_several(user: Any) -> bool:
    """Whether names of teams need their authority to tell them apart."""
    return permissions.is_superuser(user) or len(permissions.staff_roles(user)) > 1


def may_bulk(user: Any) -> bool:
    """Whether the user has a role that allows bulk actions at any of their authorities."""
    if permissions.is_superuser(user):
        return True
    return any(
        "bulk" in permissions.ROLE_ACTIONS.get(role, frozenset())
        for roles in permissions.staff_roles(user).values()
        for role in roles
    )


def report_id_from_reference(raw: str) -> int | None:
    """The report id in a number as people type it, or None."""
    match = _REFERENCE.match(raw or "")
    return int(match.group(1)) if match else None


def staff_report_by_reference(user: Any, raw: str) -> Report | None:
    """A report the user may see, by its number or id."""
    pk = report_id_from_reference(raw)
    if pk is None:
        return None
    return selectors.staff_reports(user).filter(pk=pk).first()


def forward_targets(report: Report) -> QuerySet[Authority]:
    """Active authorities a report can be forwarded to (all but its current one)."""
    return (
        Authority.objects.filter(is_active=True)
        .exclude(pk=report.authority_id)
        .order_by("level", "name")
    )


def templates_by_status(report: Report, statuses: set[str]) -> dict[str, list[ResponseTemplate]]:
    """Response templates of the report's authority for each target status (general ones,
    without a status, are offered for every status). One query."""
    templates = list(selectors.response_templates(report))
    return {
        status: [t for t in templates if t.status in ("", status)] for status in sorted(statuses)
    }
