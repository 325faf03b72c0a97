"""Celery beat keeps the planners' facts view fresh (see docs/planning.md), and computes the
unfiltered statistics of every planning scope right after, so the first planner opening the
statistics page after a refresh finds them in the cache."""

from __future__ import annotations

from celery import shared_task

from accounts.models import Membership

from .filters import PlanningFilterForm
from .scope import PLANNING_ROLES, PlanningScope, scope_for_authorities
from .selectors import refresh_report_facts, statistics

# How often beat refreshes the view (config/settings/base.py CELERY_BEAT_SCHEDULE uses it).
REFRESH_SECONDS = 300


def planning_scopes() -> set[PlanningScope]:
    """The distinct scopes of everyone who may plan, plus the superusers' "everything"."""
    authorities_by_user: dict[int, set[int]] = {}
    for user_id, authority_id in Membership.objects.filter(role__in=PLANNING_ROLES).values_list(
        "user_id", "authority_id"
    ):
        authorities_by_user.setdefault(user_id, set()).add(authority_id)
    scopes = {PlanningScope(everything=True, authority_ids=frozenset())}
    distinct = {frozenset(ids) for ids in authorities_by_user.values()}
    scopes |= {scope_for_authorities(set(ids)) for ids in distinct}
    return scopes


def warm_statistics() -> int:
    """Compute (and cache) the unfiltered statistics of every scope; returns how many."""
    scopes = planning_scopes()
    for scope in scopes:
        form = PlanningFilterForm({}, scope=scope)
        if form.is_valid():
            statistics(form.filters(), use_cache=False)
    return len(scopes)


@shared_task(ignore_result=True)
def refresh_planning_facts() -> None:
    refresh_report_facts(concurrently=True)
    warm_statistics()
