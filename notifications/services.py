"""State changes of the notifications app: unsubscribing, following, read markers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tracker.models import Report

from . import tokens
from .models import AreaAlert, EmailOptOut, Follow, ReportView


def unsubscribe(token: str) -> tuple[str, str]:
    """Apply an unsubscribe token (raises signing.BadSignature for a bad one). Idempotent:
    using the link twice changes nothing the second time. Returns (email, scope)."""
    email, scope = tokens.read(token)
    with transaction.atomic():
        EmailOptOut.objects.get_or_create(email=email, scope=scope)
        if scope.startswith("alert:"):
            AreaAlert.objects.filter(pk=int(scope.split(":", 1)[1]), user__email=email).update(
                is_active=False
            )
        elif scope.startswith("report:"):
            Follow.objects.filter(report_id=int(scope.split(":", 1)[1]), user__email=email).delete()
    return email, scope


def report_follow(report: Report, *, user: User) -> Follow:
    """Follow a report's public updates (and undo an earlier unsubscribe from them)."""
    with transaction.atomic():
        follow, _ = Follow.objects.get_or_create(report=report, user=user)
        EmailOptOut.objects.filter(email=user.email.lower(), scope=f"report:{report.pk}").delete()
    return follow


def report_unfollow(report: Report, *, user: User) -> None:
    Follow.objects.filter(report=report, user=user).delete()


def report_mark_seen(user: User, report_id: int) -> None:
    """The user opened the report: everything up to now is read."""
    ReportView.objects.update_or_create(
        user=user, report_id=report_id, defaults={"seen_at": timezone.now()}
    )
