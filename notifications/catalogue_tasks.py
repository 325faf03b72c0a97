"""Celery tasks for the service catalogue (applications and their postbox). They take ids and
send plain-text mail in the recipient's language; the texts live in catalogue's templates.
Registered through catalogue/tasks.py, which Celery's autodiscovery imports."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _absolute(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def _send(to: str, template: str, context: dict[str, object], language: str) -> None:
    if not to:
        return
    with translation.override(language):
        subject = render_to_string(f"catalogue/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"catalogue/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _language(user: object) -> str:
    return str(getattr(user, "preferred_language", "") or "de")


@shared_task(
    name="notifications.application_received",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def application_received(application_id: int) -> None:
    """Confirm the application to the citizen and tell the responsible office."""
    from catalogue.models import Application

    application = Application.objects.select_related("service", "authority", "applicant").get(
        pk=application_id
    )
    context = {
        "application": application,
        "citizen_url": _absolute(reverse("catalogue:application", args=[application.pk])),
        "staff_url": _absolute(reverse("catalogue:staff-application", args=[application.pk])),
    }
    if application.applicant is not None:
        _send(
            application.applicant.email,
            "application_received",
            context,
            _language(application.applicant),
        )
    _send(application.authority.email, "application_routed", context, "de")


@shared_task(
    name="notifications.application_updated",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def application_updated(event_id: int) -> None:
    """Tell the applicant about a status change."""
    from catalogue.models import ApplicationEvent

    event = ApplicationEvent.objects.select_related(
        "application__service", "application__applicant", "application__authority"
    ).get(pk=event_id)
    application = event.application
    if not event.is_public or application.applicant is None:
        return
    language = _language(application.applicant)
    with translation.override(language):
        status = str(application.get_status_display())
    _send(
        application.applicant.email,
        "application_updated",
        {
            "application": application,
            "event": event,
            "status": status,
            "citizen_url": _absolute(reverse("catalogue:application", args=[application.pk])),
        },
        language,
    )


@shared_task(
    name="notifications.application_message",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=8,
)
def application_message(message_id: int) -> None:
    """A new postbox message: notify the other side. The mail never contains the message text
    or attachments, only a link to the postbox behind the login."""
    from catalogue.models import Message

    message = Message.objects.select_related(
        "application__service", "application__applicant", "application__authority"
    ).get(pk=message_id)
    application = message.application
    context = {
        "application": application,
        "citizen_url": _absolute(reverse("catalogue:application", args=[application.pk])),
        "staff_url": _absolute(reverse("catalogue:staff-application", args=[application.pk])),
    }
    if message.from_authority:
        if application.applicant is not None:
            _send(
                application.applicant.email,
                "message_to_citizen",
                context,
                _language(application.applicant),
            )
    else:
        _send(application.authority.email, "message_to_authority", context, "de")
