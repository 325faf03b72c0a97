"""Building and sending emails, in the recipient's language, HTML and plain text."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tracker.models import Report, ReportEvent


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


def send_report_updated(event_id: int) -> None:
    """A public change (status, forwarding, public comment): tell the reporter (with the
    tracking link) and the supporters (with the public page), one email each. Only confirmed
    addresses are written to; internal notes never get here (public events only)."""
    event = ReportEvent.objects.select_related(
        "report__category", "report__authority", "to_authority"
    ).get(pk=event_id)
    report = event.report
    if not event.is_public or report.confirmed_at is None:
        return
    with translation.override(report.language):
        status_label = str(report.get_status_display())
    context: dict[str, object] = {"report": report, "event": event, "report_status": status_label}
    if report.reporter_email:
        _send(
            report.reporter_email,
            "report_updated",
            {
                **context,
                "is_reporter": True,
                "report_url": absolute(reverse("frontend:track", args=[report.tracking_token])),
            },
            report.language,
        )
    public_url = absolute(reverse("frontend:report", args=[report.pk]))
    for support in report.supports.select_related("user").exclude(email=report.reporter_email):
        language = support.user.preferred_language if support.user else "de"
        _send(
            support.email,
            "report_updated",
            {**context, "is_reporter": False, "report_url": public_url},
            language,
        )


def send_report_forwarded(event_id: int) -> None:
    """The receiving authority of a forwarded report gets the "new report" email."""
    event = ReportEvent.objects.select_related(
        "report__category", "report__authority", "to_authority"
    ).get(pk=event_id)
    authority = event.to_authority
    if authority is None or not authority.email:
        return
    report = event.report
    context = {
        "report": report,
        "tracking_url": absolute(reverse("frontend:track", args=[report.tracking_token])),
        "confirm_url": absolute(reverse("frontend:confirm", args=[report.confirmation_token])),
        "needs_confirmation": report.confirmed_at is None,
    }
    _send(authority.email, "report_routed", context, "de")
