"""{% follow_box report %}: the "follow this report" box of the public report page.

The report page belongs to tracker, following to notifications; tracker's template loads this
tag, so tracker's Python never imports notifications (the layers go the other way)."""

from __future__ import annotations

from typing import Any

from django import template

from tracker.models import Report

from ..models import Follow

register = template.Library()


def is_following(user: Any, report: Report) -> bool:
    """Whether the signed-in person follows this report's updates (supporters do too)."""
    if user is None or not user.is_authenticated:
        return False
    return (
        Follow.objects.filter(report=report, user=user).exists()
        or report.supports.filter(user=user).exists()
    )


@register.inclusion_tag("notifications/includes/follow_box.html", takes_context=True)
def follow_box(context: template.Context, report: Report) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "report": report,
        "request": request,
        "user": user,
        # {% csrf_token %} in the box reads the page's token.
        "csrf_token": context.get("csrf_token"),
        "following": is_following(user, report),
    }
