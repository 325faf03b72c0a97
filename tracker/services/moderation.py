"""Moderation: what of a report the public sees. Staff release or hide photos, edit or hide the
public description (the citizen's text is kept for staff), review citizens' comments where the
authority publishes them only after review, and resolve citizens' abuse flags.

Rules (tracker.permissions): "moderate" — dispatchers and admins of the report's authority;
"photo_visibility" — the same, and crews for the "after" photos of reports assigned to them.
Each change is one transaction with a ReportEvent (internal, except a published comment).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User

from .. import permissions
from ..models import AbuseFlag, ModerationSettings, Photo, Report, ReportEvent
from ..workflow import WorkflowError
from .common import (
    add_event,
    clean_text,
    lock,
    notify_citizens,
    require_photo_right,
    require_view,
    sync,
)
from .redaction import ensure_redacted

DESCRIPTION_MODES = ("edit", "hide", "restore")
MAX_ABUSE_TEXT = 1000


def hidden_description_text() -> str:
    """What the public sees instead of a hidden description (in the portal's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Beschreibung von der Verwaltung entfernt")


def photo_set_public(report: Report, *, photo_id: int, public: bool, by: User) -> bool:
    """Release (public=True) or hide a photo of the report. Returns whether anything changed:
    a photo already in that state is left alone and gets no history entry."""
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        photo = Photo.objects.select_for_update().filter(pk=photo_id, report=locked).first()
        if photo is None:
            raise WorkflowError({"photo": [_("Dieses Foto gehört nicht zu der Meldung.")]})
        require_photo_right(by, locked, photo)
        if photo.is_public == public:
            return False
        if public:
            photo.report = locked
            ensure_redacted(photo)  # nothing is public before faces and plates are blurred
        photo.is_public = public
        photo.save(update_fields=["is_public"])
        add_event(
            locked,
            ReportEvent.Kind.PHOTO,
            by=by,
            is_public=False,
            note=(_("Foto veröffentlicht (%(kind)s)") if public else _("Foto verborgen (%(kind)s)"))
            % {"kind": photo.get_kind_display()},
        )
        Report.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return True


def report_moderate_description(
    report: Report, *, by: User, mode: str, text: str = "", note: str = ""
) -> Report:
    """Change what the public reads as the description: `edit` (to `text`), `hide` (a notice
    instead) or `restore` (the citizen's text again). The citizen's text stays in
    `original_description` for staff until it is restored."""
    if mode not in DESCRIPTION_MODES:
        raise WorkflowError({"mode": [_("Unbekannte Änderung der Beschreibung.")]})
    if mode == "edit":
        text = clean_text(text, field="text", required=True)
    note = clean_text(note, field="note", required=False)
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "moderate")
        if mode == "restore" and not locked.description_state:
            raise WorkflowError(_("Die Beschreibung ist unverändert."))
        if not locked.description_state:
            locked.original_description = locked.description
        if mode == "restore":
            locked.description, locked.original_description = locked.original_description, ""
            locked.description_state = ""
            message = _("Ursprüngliche Beschreibung wieder veröffentlicht")
        elif mode == "hide":
            locked.description = hidden_description_text()
            locked.description_state = "hidden"
            message = _("Beschreibung öffentlich entfernt")
        else:
            locked.description = text
            locked.description_state = "edited"
            message = _("Öffentliche Beschreibung bearbeitet")
        locked.save()
        add_event(
            locked,
            ReportEvent.Kind.MODERATED,
            by=by,
            is_public=False,
            note=f"{message}: {note}" if note else message,
        )
    return sync(report, locked)


def comments_need_review(authority_id: int) -> bool:
    """Whether the authority publishes citizens' comments only after review."""
    return ModerationSettings.objects.filter(
        authority_id=authority_id,
        citizen_comments=ModerationSettings.Comments.AFTER_REVIEW,
    ).exists()


def report_add_citizen_comment(report: Report, *, text: str) -> ReportEvent:
    """A citizen's comment (e.g. an Open311 update from a FixMyStreet app). Public at once, or,
    where the report's authority reviews comments first, stored internal and waiting in the
    staff queue. Runs in the caller's transaction."""
    text = clean_text(text, field="description", required=True)
    review = comments_need_review(report.authority_id)
    event = ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.COMMENT,
        actor=None,
        note=text,
        is_public=not review,
        review=ReportEvent.Review.PENDING if review else ReportEvent.Review.NONE,
        authority_id=report.authority_id,
    )
    # The report changed for the staff queue ("aktualisiert"), as with report_add_note.
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    # No mail for unreviewed text from apps (anyone with an app key could write to the
    # reporter); a comment published after review is mailed (comment_review).
    return event


def comment_review(report: Report, *, event_id: int, publish: bool, by: User) -> ReportEvent:
    """Publish or reject a citizen's comment that waits for review. A published comment gets
    the time of publication (so that clients polling for new updates see it) and is sent to
    the followers; a rejected one stays internal."""
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "moderate")
        event = (
            ReportEvent.objects.select_for_update()
            .filter(pk=event_id, report=locked, review=ReportEvent.Review.PENDING)
            .first()
        )
        if event is None:
            raise WorkflowError(
                {"comment": [_("Dieser Kommentar wartet nicht (mehr) auf Prüfung.")]}
            )
        if publish:
            event.is_public = True
            event.review = ReportEvent.Review.NONE
            event.created_at = timezone.now()
        else:
            event.review = ReportEvent.Review.REJECTED
        event.save(update_fields=["is_public", "review", "created_at"])
        add_event(
            locked,
            ReportEvent.Kind.MODERATED,
            by=by,
            is_public=False,
            note=_("Kommentar veröffentlicht") if publish else _("Kommentar abgelehnt"),
        )
        notify_citizens(event)
    return event


def report_flag_abuse(report: Report, *, reason: str, text: str = "") -> AbuseFlag:
    """A citizen's "Missbrauch melden" on a public report (no account needed)."""
    if reason not in AbuseFlag.Reason.values:
        raise WorkflowError({"reason": [_("Bitte wählen Sie einen Grund.")]})
    text = (text or "").strip()
    if len(text) > MAX_ABUSE_TEXT:
        raise WorkflowError({"text": [_("Höchstens %(max)d Zeichen.") % {"max": MAX_ABUSE_TEXT}]})
    if report.confirmed_at is None:
        raise WorkflowError(_("Diese Meldung ist nicht öffentlich."))
    return AbuseFlag.objects.create(report=report, reason=reason, text=text)


def abuse_resolve(report: Report, *, by: User, note: str = "") -> int:
    """Close the report's open abuse flags (after hiding what needed hiding, or deciding that
    nothing did). Returns how many were open."""
    note = clean_text(note, field="note", required=False)
    with transaction.atomic():
        locked = lock(report)
        require_view(by, locked)
        permissions.authorize(by, locked, "moderate")
        count = AbuseFlag.objects.filter(report=locked, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=by
        )
        if not count:
            raise WorkflowError(_("Zu dieser Meldung gibt es keine offenen Missbrauchsmeldungen."))
        message = _("%(n)d Missbrauchsmeldung(en) erledigt") % {"n": count}
        add_event(
            locked,
            ReportEvent.Kind.MODERATED,
            by=by,
            is_public=False,
            note=f"{message}: {note}" if note else message,
        )
    return count
