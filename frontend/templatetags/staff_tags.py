"""Template helpers for the staff pages and the navigation."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import Membership
from accounts.navigation import STAFF_NAV_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def show_staff_nav(context: template.Context) -> bool:
    """Whether the navigation shows the "Arbeitsliste" link: decided at login (see
    frontend.signals) and kept in the session, so citizen pages pay no extra query. Sessions
    from before that are asked once. The staff pages themselves always ask
    tracker.permissions."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    session = getattr(context.get("request"), "session", None)
    if session is not None and STAFF_NAV_SESSION_KEY in session:
        return bool(session[STAFF_NAV_SESSION_KEY])
    answer = Membership.objects.filter(user=user).exists()
    if session is not None:
        session[STAFF_NAV_SESSION_KEY] = answer
    return answer


@register.filter
def has_action(actions: Any, action: str) -> bool:
    return action in actions
