"""{% unread_updates reports as unread %} … {{ unread|for_report:report.pk }}: unread-update
badges for a page of reports in one query (notifications.selectors.unread_counts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from ..selectors import unread_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_updates(
    context: template.Context, reports: Iterable[Any], staff: bool = False
) -> dict[int, int]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return unread_counts(user, [r.pk for r in reports], staff=staff)


@register.filter
def for_report(counts: dict[int, int], report_id: int) -> int:
    return counts.get(report_id, 0) if counts else 0
