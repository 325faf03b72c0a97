"""Who may see the catalogue's uploads (core.media rules): application attachments only the
applicant and the office's staff; the authorities' banners everyone."""

from __future__ import annotations

from django.http import HttpRequest

from core.media import Access

from . import services
from .models import Attachment
from .privacy_log import log_attachment_download


def attachment_access(request: HttpRequest, name: str) -> Access:
    attachment = Attachment.objects.select_related("application").filter(file=name).first()
    user = request.user
    if attachment is None or not user.is_authenticated:
        return Access.DENIED
    application = attachment.application
    if application.applicant_id == user.pk:
        return Access.PRIVATE
    if services.is_staff_of(user, application.authority_id):
        log_attachment_download(user, attachment)  # staff exports personal data: logged
        return Access.PRIVATE
    return Access.DENIED


def public_access(request: HttpRequest, name: str) -> Access:
    return Access.PUBLIC
