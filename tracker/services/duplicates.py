"""The same problem reported twice: close one as a duplicate of the other."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .. import permissions
from ..models import Report, ReportEvent, Status, Support
from ..workflow import WorkflowError, check_action
from .common import add_event, change_status, clean_text, require_view, sync


def _move_supports(duplicate: Report, original: Report) -> int:
    """Supporters (and with them the update subscriptions) of the duplicate, and its reporter,
    now back the original. Each person counts once. Returns how many were added."""
    taken_emails = set(original.supports.values_list("email", flat=True))
    taken_users = set(
        original.supports.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    if original.reporter_email:
        taken_emails.add(original.reporter_email)
    if original.reporter_id is not None:
        taken_users.add(original.reporter_id)
    moved = 0
    for support in list(duplicate.supports.all()):
        if support.email in taken_emails or (
            support.user_id is not None and support.user_id in taken_users
        ):
            support.delete()
            continue
        support.report = original
        support.save(update_fields=["report"])
        taken_emails.add(support.email)
        if support.user_id is not None:
            taken_users.add(support.user_id)
        moved += 1
    # The duplicate's reporter follows the original from now on (only a confirmed address).
    email = duplicate.reporter_email
    if (
        email
        and duplicate.confirmed_at is not None
        and email not in taken_emails
        and (duplicate.reporter_id is None or duplicate.reporter_id not in taken_users)
    ):
        Support.objects.create(report=original, user_id=duplicate.reporter_id, email=email)
        moved += 1
    original.supporter_count = original.supports.count()
    original.save(update_fields=["supporter_count", "updated_at"])
    duplicate.supporter_count = 0
    return moved


def report_mark_duplicate(report: Report, *, original: Report, by: User, note: str = "") -> Report:
    """The same problem was reported before: link the original, move supporters there and close
    this one as "Duplikat". Both must belong to the actor's authority."""
    note = clean_text(note, field="note", required=False)
    if original.pk == report.pk:
        raise WorkflowError(_("Eine Meldung kann kein Duplikat von sich selbst sein."))
    with transaction.atomic():
        # Lock both in id order, so two merges in opposite directions cannot deadlock.
        first, second = sorted([report.pk, original.pk])
        locked_pair = {
            r.pk: r
            for r in Report.objects.select_for_update()
            .filter(pk__in=[first, second])
            .order_by("pk")
        }
        locked, locked_original = locked_pair[report.pk], locked_pair[original.pk]
        require_view(by, locked)
        permissions.authorize(by, locked, "duplicate")
        transition = check_action("duplicate", locked.status)
        if not permissions.can_view(by, locked_original):
            raise WorkflowError(_("Die ursprüngliche Meldung gehört nicht zu Ihrer Stelle."))
        if locked_original.status == Status.DUPLICATE:
            raise WorkflowError(
                _("Meldung %(ref)s ist selbst ein Duplikat; bitte das Original wählen.")
                % {"ref": locked_original.reference}
            )
        moved = _move_supports(locked, locked_original)
        locked.duplicate_of = locked_original
        locked.assigned_to = None
        public_text = _("Duplikat von Meldung %(ref)s") % {"ref": locked_original.reference}
        change_status(
            locked,
            transition,
            by=by,
            note=f"{public_text}. {note}" if note else public_text,
            public_note=True,
        )
        add_event(
            locked_original,
            ReportEvent.Kind.MERGED,
            by=by,
            is_public=False,
            note=_(
                "Meldung %(ref)s als Duplikat zusammengeführt; %(n)d Unterstützung(en) übernommen."
            )
            % {"ref": locked.reference, "n": moved},
        )
    sync(original, locked_original)
    return sync(report, locked)
