"""Who may see a report photo (core.media's rule for "photos/").

Released photos of public (confirmed) reports: everyone. Unreleased ones, and photos of
reports not yet confirmed: the reporter's account, staff of the authority that has the report
now, and whoever holds a signed link (the reporter's tracking page, an Open311 copy)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest

from core.media import Access

from . import permissions
from .models import Photo


def photo_access(request: HttpRequest, name: str) -> Access:
    photo = (
        Photo.objects.filter(Q(image=name) | Q(thumbnail=name))
        .select_related("report")
        .only("is_public", "report__confirmed_at", "report__reporter_id", "report__authority_id")
        .first()
    )
    if photo is None:
        return Access.DENIED
    report = photo.report
    if photo.is_public and report.confirmed_at is not None:
        return Access.PUBLIC
    user = request.user
    if user.is_authenticated and (
        report.reporter_id == user.pk or permissions.can_view(user, report)
    ):
        return Access.PRIVATE
    return Access.DENIED
