"""Personal data of reports: guest reports join a verified account; an erased account leaves
its reports anonymised for the authorities (called from tracker.receivers); the retention
jobs (tracker.services.retention) erase contact data and anonymise reports with the same
functions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import permissions
from ..models import Photo, Report, ReportEvent, Support
from ..signals import reports_anonymising
from .common import add_event, delete_files, lock, require_view, sync


def reports_attach_to_account(user: User, email: str) -> int:
    """Attach guest reports made with `email` (now verified for `user`) to the account."""
    with transaction.atomic():
        count = Report.objects.filter(reporter__isnull=True, reporter_email=email.lower()).update(
            reporter=user
        )
        Support.objects.filter(user__isnull=True, email=email.lower()).update(user=user)
    return count


def erase_contact(report_ids: list[int], *, user: User | None = None) -> int:
    """Remove the reporter (account link, name, email, phone) from these reports. Apps that
    keep more about the reporter (Open311 client ids) hear `reports_anonymising` first."""
    if not report_ids and user is None:
        return 0
    # Sent for an erased account even without reports (Open311 suspends its API keys).
    reports_anonymising.send(sender=Report, user=user, report_ids=report_ids)
    return Report.objects.filter(pk__in=report_ids).update(
        reporter=None,
        reporter_email="",
        reporter_name="",
        reporter_phone="",
        contact_erased_at=timezone.now(),
    )


def reports_anonymise(user: User) -> None:
    """DSGVO erasure of an account: remove the person from their reports and supports."""
    with transaction.atomic():
        ids = list(Report.objects.filter(reporter=user).values_list("pk", flat=True))
        erase_contact(ids, user=user)
        Support.objects.filter(Q(user=user) | Q(email=user.email.lower())).delete()


def erase_contact_and_supporters(report_ids: list[int]) -> int:
    """The contact period has ended: the reporter's and the supporters' contact data go."""
    with transaction.atomic():
        count = erase_contact(report_ids)
        Support.objects.filter(report_id__in=report_ids).delete()
    return count


def anonymise_reports(report_ids: list[int]) -> int:
    """The anonymisation period has ended: contact data, supporters, history texts, photos not
    released to the public, and the description (unless staff marked it free of personal
    data) go. Category, place, status, dates and public photos stay for statistics."""
    with transaction.atomic():
        erase_contact_and_supporters(report_ids)
        ReportEvent.objects.filter(report_id__in=report_ids).exclude(note="").update(note="")
        photos = Photo.objects.filter(report_id__in=report_ids, is_public=False)
        names = [
            n for row in photos.values_list("image", "thumbnail", "original") for n in row if n
        ]
        photos.delete()
        # Released photos stay in their blurred public version only; the originals go.
        kept = Photo.objects.filter(report_id__in=report_ids).exclude(original="")
        names += list(kept.values_list("original", flat=True))
        kept.update(original="")
        Report.objects.filter(pk__in=report_ids, description_is_clean=False).update(description="")
        count = Report.objects.filter(pk__in=report_ids).update(anonymised_at=timezone.now())
        transaction.on_commit(lambda: delete_files(names))
    return count


def report_mark_description_clean(report: Report, *, clean: bool, by: User) -> Report:
    """Staff state whether the description is free of personal data: a clean description
    survives the anonymisation (tracker.services.retention); an internal history entry."""
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "privacy")
        if locked.description_is_clean != clean:
            locked.description_is_clean = clean
            locked.save(update_fields=["description_is_clean", "updated_at"])
            add_event(
                locked,
                ReportEvent.Kind.NOTE,
                by=by,
                is_public=False,
                note=_("Beschreibung als frei von personenbezogenen Daten markiert.")
                if clean
                else _("Beschreibung kann personenbezogene Daten enthalten."),
            )
    return sync(report, locked)
