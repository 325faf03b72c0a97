"""Building and sending emails, in the recipient's language, HTML and plain text."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tracker.models import Report


def absolute(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def _send(to: str, template: str, context: dict[str, object], language: str) -> None:
    with translation.override(language):
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
        text = render_to_string(f"notifications/{template}.txt", context)
        html = render_to_string(f"notifications/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_report_received(report_id: int) -> None:
    report = Report.objects.select_related("category", "authority").get(pk=report_id)
    context = {
        "report": report,
        "tracking_url": absolute(reverse("frontend:track", args=[report.tracking_token])),
        "confirm_url": absolute(reverse("frontend:confirm", args=[report.confirmation_token])),
        "needs_confirmation": report.confirmed_at is None,
    }
    if report.reporter_email:
        _send(report.reporter_email, "report_received", context, report.language)
    if report.authority.email:
        _send(report.authority.email, "report_routed", context, "de")
