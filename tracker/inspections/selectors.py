"""Reads of the Streckenkontrolle: due routes per team, a route's segments with their last
inspection, the overdue ones for the staff queue and the overdue digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from tracker import permissions
from tracker.models import Team

from .coverage import route_segments
from .models import InspectionPlan, InspectionRound


@dataclass
class SegmentDue:
    id: int
    label: str
    last_inspected: date | None
    due_on: date

    def state(self, today: date) -> str:
        if self.due_on < today:
            return "overdue"
        return "due" if self.due_on == today else "ok"


@dataclass
class RouteDue:
    """One plan's route on a day: its segments, how many are due or overdue."""

    plan: InspectionPlan
    segments: list[SegmentDue] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)

    @property
    def due(self) -> list[SegmentDue]:
        return [s for s in self.segments if s.due_on <= self.today]

    @property
    def overdue(self) -> list[SegmentDue]:
        return [s for s in self.segments if s.due_on < self.today]

    @property
    def next_due(self) -> date | None:
        return min((s.due_on for s in self.segments), default=None)

    @property
    def state(self) -> str:
        if self.overdue:
            return "overdue"
        return "due" if self.due else "ok"


def route_due(plan: InspectionPlan, today: date | None = None) -> RouteDue:
    """The plan's segments with the date of their last inspection and their next due date
    (last inspection + interval; never inspected: the plan's start day)."""
    today = today or timezone.localdate()
    rows = (
        route_segments(plan)
        .annotate(last=Max("inspections__inspected_at"))
        .order_by("ref", "name", "id")
        .values("id", "ref", "name", "last")
    )
    segments = []
    for row in rows:
        last = timezone.localdate(row["last"]) if row["last"] else None
        due_on = last + timedelta(days=plan.interval_days) if last else plan.starts_on
        label = " ".join(part for part in (row["ref"], row["name"]) if part) or f"#{row['id']}"
        segments.append(SegmentDue(row["id"], label, last, due_on))
    return RouteDue(plan, segments, today)


def visible_plans(user: Any) -> QuerySet[InspectionPlan]:
    """Active plans of the user's authorities (crew: their teams' plans and unassigned ones)."""
    plans = InspectionPlan.objects.filter(is_active=True).select_related("authority", "team")
    if permissions.is_superuser(user):
        return plans
    wide = permissions.authority_ids(user, ("dispatcher", "admin", "planner"))
    crew = permissions.authority_ids(user, ("crew",)) - wide
    if not crew:  # no team lookup needed (one query less on every work-queue page)
        return plans.filter(authority_id__in=wide)
    teams = permissions.team_ids(user)
    return plans.filter(
        Q(authority_id__in=wide)
        | Q(authority_id__in=crew, team_id__in=teams)
        | Q(authority_id__in=crew, team=None)
    )


def routes_by_team(
    user: Any, today: date | None = None
) -> list[tuple[Team | None, list[RouteDue]]]:
    """The visible routes grouped per team (teams by name, unassigned routes last)."""
    groups: dict[int | None, list[RouteDue]] = {}
    teams: dict[int | None, Team | None] = {None: None}
    for plan in visible_plans(user):
        groups.setdefault(plan.team_id, []).append(route_due(plan, today))
        teams[plan.team_id] = plan.team

    def sort_key(key: int | None) -> tuple[bool, str]:
        team = teams[key]
        return (team is None, team.name if team is not None else "")

    order = sorted(groups, key=sort_key)
    return [(teams[key], groups[key]) for key in order]


def overdue_routes(user: Any | None = None, today: date | None = None) -> list[RouteDue]:
    """Routes with overdue segments (all of them when `user` is None, for the digest)."""
    plans = (
        visible_plans(user)
        if user is not None
        else InspectionPlan.objects.filter(is_active=True).select_related("authority", "team")
    )
    routes = [route_due(plan, today) for plan in plans]
    return [route for route in routes if route.overdue]


def running_rounds(user: Any) -> QuerySet[InspectionRound]:
    return (
        InspectionRound.objects.filter(state=InspectionRound.State.RUNNING, started_by=user)
        .select_related("plan")
        .order_by("-started_at")
    )
