"""Links that mails and webhooks carry into the portal (absolute, see core.urls)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from core.urls import absolute_url
from tracker.models import Report


def staff_report_url(report: Report) -> str:
    try:
        return absolute_url(reverse("staff:report", args=[report.pk]))
    except NoReverseMatch:  # staff pages not installed
        return absolute_url(reverse("tracker:report", args=[report.pk]))


def public_report_url(report_id: int) -> str:
    return absolute_url(reverse("tracker:report", args=[report_id]))
