"""Template helpers for the planning pages and the "Planung" navigation link."""

from __future__ import annotations

from typing import Any

from django import template

from planning.scope import can_plan as _can_plan

register = template.Library()


@register.filter
def can_plan(user: Any) -> bool:
    """Whether the user may open the planning pages (roles cached on the user object)."""
    return _can_plan(user)
