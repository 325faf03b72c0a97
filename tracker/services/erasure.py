"""Personal data of reports: guest reports join a verified account; an erased account leaves
its reports anonymised for the authorities (called from tracker.receivers)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from accounts.models import User

from ..models import Report, Support
from ..signals import reports_anonymising


def reports_attach_to_account(user: User, email: str) -> int:
    """Attach guest reports made with `email` (now verified for `user`) to the account."""
    with transaction.atomic():
        count = Report.objects.filter(reporter__isnull=True, reporter_email=email.lower()).update(
            reporter=user
        )
        Support.objects.filter(user__isnull=True, email=email.lower()).update(user=user)
    return count


def reports_anonymise(user: User) -> None:
    """DSGVO erasure of an account: remove the person from their reports and supports."""
    with transaction.atomic():
        reports_anonymising.send(sender=Report, user=user)
        Report.objects.filter(reporter=user).update(
            reporter=None, reporter_email="", reporter_name="", reporter_phone=""
        )
        Support.objects.filter(Q(user=user) | Q(email=user.email.lower())).delete()
