"""Who works on plans: the planning staff (roles "planner" and "admin") of the plan's
authority; superusers everywhere."""

from __future__ import annotations

from typing import Any

from accounts.models import Role

STAFF_ROLES = (Role.PLANNER, Role.ADMIN)


def staff_authority_ids(user: Any) -> list[int] | None:
    """The authorities whose plans the user works on; None = all (superuser)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return list(
        user.memberships.filter(role__in=STAFF_ROLES).values_list("authority_id", flat=True)
    )


def is_plan_staff(user: Any, authority_id: int) -> bool:
    ids = staff_authority_ids(user)
    return ids is None or authority_id in ids
