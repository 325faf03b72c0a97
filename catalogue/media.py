"""Who may see the catalogue's uploads (core.media rules): application attachments only the
applicant and the office's staff; the authorities' banners everyone."""

from __future__ import annotations

from django.http import HttpRequest

from core.media import Access

from . import services
from .models import Attachment


def attachment_access(request: HttpRequest, name: str) -> Access:
    attachment = Attachment.objects.select_related("application").filter(file=name).first()
    user = request.user
    if attachment is None or not user.is_authenticated:
        return Access.DENIED
    application = attachment.application
    if application.applicant_id == user.pk or services.is_staff_of(user, application.authority_id):
        return Access.PRIVATE
    return Access.DENIED


def public_access(request: HttpRequest, name: str) -> Access:
    return Access.PUBLIC
