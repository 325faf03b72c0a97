"""The catalogue's staff doors to applicants' personal data write the access log
(privacy.access), like the tracker's (tracker.privacy_parts): the staff application page and
the admin page (applicant, form data, address) and every staff download of an attachment."""

from __future__ import annotations

from typing import Any

from privacy import access

from .models import Application, Attachment

KIND = "application"
SHOWN_FIELDS = "applicant,data,address,location"


def log_application_view(user: Any, application: Application, channel: str) -> None:
    access.log_access(
        user,
        action=access.VIEW,
        channel=channel,
        kind=KIND,
        object_id=application.pk,
        reference=application.reference,
        authority_id=application.authority_id,
        fields=SHOWN_FIELDS,
    )


def log_attachment_download(user: Any, attachment: Attachment) -> None:
    application = attachment.application
    access.log_access(
        user,
        action=access.EXPORT,
        channel="download",
        kind=KIND,
        object_id=application.pk,
        reference=application.reference,
        authority_id=application.authority_id,
        fields=f"attachment:{attachment.original_name}",
    )
