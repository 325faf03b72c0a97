"""Mail of subject access exports (privacy.exports), through the outbox like every other mail.

privacy queues "notifications.data_export_mail" (export id, "confirm" | "ready" | "failed"): the
guest's confirmation link after staff asked for the guest, the note that an archive is ready
(to the guest with the secret link, to a citizen with the link to her account page), and the
note that it could not be built. Plain
text; the texts live in privacy's templates. The opt-out scope is the one export."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import formats, timezone, translation

from core.urls import absolute_url
from outbox.models import OutboxMessage
from outbox.registry import Cancelled
from privacy.exports import days_valid
from privacy.models import DataExport

from .emails import Recipient, language_or_default, queue


def data_export_mail(message: OutboxMessage) -> Iterable[int]:
    export_id, which = message.payload["args"][:2]
    item = DataExport.objects.select_related("authority", "user").filter(pk=export_id).first()
    if item is None or which not in {"confirm", "ready", "failed"}:
        raise Cancelled("export gone")
    if which == "confirm" and item.status != DataExport.Status.AWAITING:
        return []
    language = language_or_default(item.user.preferred_language if item.user else item.language)
    if item.user is not None:
        link = absolute_url(reverse("privacy:my-data"))
    else:
        link = absolute_url(reverse("privacy:guest", args=[item.token]))
    with translation.override(language):
        until = formats.date_format(timezone.localtime(item.expires_at), "SHORT_DATETIME_FORMAT")
    context = {
        "authority": item.authority.name if item.authority else "",
        "link": link,
        "days": days_valid(),
        "until": until,
        "guest": item.user is None,
    }
    recipient = Recipient(item.email, language, "subject")
    found = queue(
        message,
        f"data-export:{item.pk}:{which}",
        recipient,
        f"privacy/email/{which}",
        context,
        f"data-export:{item.pk}",
    )
    return [found] if found is not None else []
