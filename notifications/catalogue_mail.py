"""Mail about applications of the service catalogue, through the outbox like report mail.

The catalogue's services queue the events by name (outbox.enqueue_on_commit(
"notifications.application_received", application.pk) …); these handlers fan each event out
into one email row per recipient (notifications.emails.queue), so retries, the delivery log
and opt-outs (checked when the row is stored and again when it is sent) are those of every
other mail. Plain text in the recipient's language; the texts live in catalogue's templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import translation

from catalogue.models import Application, ApplicationEvent, Message
from core.urls import absolute_url
from outbox.models import OutboxMessage

from .emails import Recipient, language_or_default, queue

TEMPLATES = "catalogue/email"


def _scope(application: Application) -> str:
    return f"application:{application.pk}"


def _applicant(application: Application) -> Recipient | None:
    applicant = application.applicant
    if applicant is None or not applicant.email:
        return None
    return Recipient(
        applicant.email.lower(), language_or_default(applicant.preferred_language), "applicant"
    )


def _office(application: Application) -> Recipient | None:
    email = application.authority.email
    return Recipient(email.lower(), "de", "authority") if email else None


def _links(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "portal_authority": application.authority,
        "citizen_url": absolute_url(reverse("catalogue:application", args=[application.pk])),
        "staff_url": absolute_url(reverse("catalogue:staff-application", args=[application.pk])),
    }


def _queue(
    parent: OutboxMessage,
    key: str,
    recipient: Recipient | None,
    template: str,
    context: dict[str, Any],
    scope: str,
) -> list[int]:
    if recipient is None:
        return []
    found = queue(parent, key, recipient, f"{TEMPLATES}/{template}", context, scope)
    return [found] if found is not None else []


def _arg(message: OutboxMessage) -> int:
    return int(message.payload["args"][0])


def application_received(message: OutboxMessage) -> Iterable[int]:
    """Confirm the application to the citizen and tell the responsible office."""
    application = Application.objects.select_related("service", "authority", "applicant").get(
        pk=_arg(message)
    )
    context = _links(application)
    key = f"application-received:{application.pk}"
    return [
        *_queue(
            message,
            key,
            _applicant(application),
            "application_received",
            context,
            _scope(application),
        ),
        *_queue(message, key, _office(application), "application_routed", context, "authority-new"),
    ]


def application_updated(message: OutboxMessage) -> Iterable[int]:
    """Tell the applicant about a public status change."""
    event = ApplicationEvent.objects.select_related(
        "application__service", "application__applicant", "application__authority"
    ).get(pk=_arg(message))
    application = event.application
    recipient = _applicant(application)
    if not event.is_public or recipient is None:
        return []
    with translation.override(recipient.language):
        status = str(application.get_status_display())
    context = {**_links(application), "event": event, "status": status}
    return _queue(
        message,
        f"application-updated:{event.pk}",
        recipient,
        "application_updated",
        context,
        _scope(application),
    )


def application_message(message: OutboxMessage) -> Iterable[int]:
    """A new postbox message: notify the other side. The mail never contains the message text
    or attachments, only a link to the postbox behind the login."""
    postbox = Message.objects.select_related(
        "application__service", "application__applicant", "application__authority"
    ).get(pk=_arg(message))
    application = postbox.application
    context = _links(application)
    key = f"application-message:{postbox.pk}"
    if postbox.from_authority:
        return _queue(
            message,
            key,
            _applicant(application),
            "message_to_citizen",
            context,
            _scope(application),
        )
    return _queue(
        message, key, _office(application), "message_to_authority", context, "authority-new"
    )
