"""Template helpers for the staff pages and the navigation."""

from __future__ import annotations

from typing import Any

from django import template

from tracker import permissions

register = template.Library()


@register.filter
def is_staff_member(user: Any) -> bool:
    """Whether the user works for an authority (shows the "Arbeitsliste" link). One query per
    request at most: the roles are cached on the user object."""
    return permissions.is_staff_member(user)


@register.filter
def has_action(actions: Any, action: str) -> bool:
    return action in actions
