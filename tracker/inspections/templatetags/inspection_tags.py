"""The Streckenkontrolle box on the staff work queue (/arbeit/): overdue routes, a link."""

from __future__ import annotations

from typing import Any

from django import template

from tracker import permissions

from .. import selectors

register = template.Library()


@register.inclusion_tag("inspections/queue_box.html", takes_context=True)
def inspections_box(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not permissions.is_staff_member(user) or not selectors.visible_plans(user).exists():
        return {"show": False}
    return {
        "show": True,
        "overdue": selectors.overdue_routes(user),
        "running": list(selectors.running_rounds(user)[:1]),
    }
