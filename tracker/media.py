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


def original_access(request: HttpRequest, name: str) -> Access:
    """The unblurred originals ("photos-original/"): staff of the authority that has the
    report now, nobody else (not even with the photo released, nor the reporter)."""
    photo = (
        Photo.objects.filter(original=name)
        .select_related("report")
        .only("report__authority_id")
        .first()
    )
    user = request.user
    if photo is None or not user.is_authenticated:
        return Access.DENIED
    return Access.PRIVATE if permissions.can_view(user, photo.report) else Access.DENIED
