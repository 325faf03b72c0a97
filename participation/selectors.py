"""Reads of the participation: public plans, a citizen's receipt, the staff's plans and
statements (scoped by participation.permissions)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import PUBLIC_STATUSES, Plan, PlanDocument, PlanStatus, Statement
from .permissions import staff_authority_ids


def public_plans() -> QuerySet[Plan]:
    return (
        Plan.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("authority")
        .prefetch_related(
            Prefetch("documents", queryset=PlanDocument.objects.order_by("order", "pk"))
        )
    )


def plans_on_display() -> QuerySet[Plan]:
    now = timezone.now()
    return (
        public_plans()
        .filter(status=PlanStatus.DISPLAY, display_end__gt=now)
        .order_by("display_end", "pk")
    )


def plans_finished() -> QuerySet[Plan]:
    now = timezone.now()
    return (
        public_plans()
        .filter(Q(status__in=[PlanStatus.CLOSED, PlanStatus.RESULT]) | Q(display_end__lte=now))
        .order_by("-display_end", "pk")
    )


def staff_plans(user: Any) -> QuerySet[Plan]:
    ids = staff_authority_ids(user)
    plans = Plan.objects.select_related("authority").annotate(
        statement_count=Count("statements", filter=Q(statements__confirmed_at__isnull=False))
    )
    return plans if ids is None else plans.filter(authority_id__in=ids)


def staff_statements(plan: Plan, *, tag: str = "", status: str = "") -> QuerySet[Statement]:
    """The confirmed statements of a plan (guests' unconfirmed ones are not passed on)."""
    statements = (
        plan.statements.filter(confirmed_at__isnull=False)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("submitted_at", "pk")
    )
    if tag:
        statements = statements.filter(tags__contains=[tag])
    if status:
        statements = statements.filter(status=status)
    return statements


def plan_tags(plan: Plan) -> list[str]:
    tags: set[str] = set()
    for row in plan.statements.filter(confirmed_at__isnull=False).values_list("tags", flat=True):
        tags.update(row)
    return sorted(tags, key=str.lower)


def statement_by_token(token: str) -> Statement | None:
    return (
        Statement.objects.select_related("plan__authority")
        .prefetch_related("attachments")
        .filter(token=token)
        .first()
    )
