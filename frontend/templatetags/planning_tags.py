"""Template helpers for the planning pages and the "Planung" navigation link."""

from __future__ import annotations

from django import template

from accounts.navigation import STAFF_NAV_SESSION_KEY
from planning.scope import can_plan

register = template.Library()


@register.simple_tag(takes_context=True)
def show_planning_nav(context: template.Context) -> bool:
    """Whether the navigation shows "Planung". People without any membership (the session
    flag set at login, see frontend.signals) cost no query; staff are asked once per request
    (roles are cached on the user object, which the staff pages have loaded anyway)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    session = getattr(context.get("request"), "session", None)
    if session is not None and session.get(STAFF_NAV_SESSION_KEY) is False:
        return False
    return can_plan(user)
