"""Marks a report as seen when a signed-in user opens one of its pages, so "Meine Anliegen"
and the staff queue can show unread updates (notifications.selectors). Kept out of the views
on purpose: the pages stay the pages' business, this only watches which report was opened."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tracker.models import Report

from .services import report_mark_seen

logger = logging.getLogger(__name__)

# URL names of report pages, with the URL argument that identifies the report.
REPORT_PAGES = {
    "tracker:report": "pk",
    "staff:report": "pk",
    "tracker:track": "token",
}


class ReportSeenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is None
            or request.method != "GET"
            or response.status_code != 200
            or match.view_name not in REPORT_PAGES
            or not request.user.is_authenticated
        ):
            return response
        try:
            value = match.kwargs.get(REPORT_PAGES[match.view_name])
            if match.view_name == "tracker:track":
                report_id = (
                    Report.objects.filter(tracking_token=value).values_list("pk", flat=True).first()
                )
            else:
                report_id = int(value)
            if report_id is not None:
                report_mark_seen(request.user, report_id)
        except Exception:  # a read marker must never break a page
            logger.exception("could not mark report as seen")
        return response
