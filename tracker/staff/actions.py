"""The staff action layer: one table of what staff can do to a report, one bulk dispatch, and
the one way ids in a request become objects. The staff API (tracker.staff.api) and the staff
pages (tracker.staff.views) both call `perform` and `bulk_apply`; they only read their input
(serializers, forms) and shape the answer.

To add a staff action: write the service in tracker.services (it checks the permission and
the workflow), add a row to ACTIONS below, then an input serializer and a line in
tracker.staff.api.API_ACTIONS, and a form and a handler in tracker.staff.views.

Permission names are those of tracker.permissions/tracker.workflow; the services check them,
the table names them so pages and docs can say which button belongs to which action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from boundaries.models import Authority
from core import params
from tracker import selectors, services
from tracker.models import Photo, Report, Team
from tracker.services import BulkResult, moderation, redaction

from .versions import VersionConflict, report_version

# ---- resolving ids in requests (the same rule for the API and the pages) -------------------


def resolve_team(user: Any, team_id: int | None) -> Team | None:
    """A team of the user's authorities (whether it belongs to the report's authority is the
    service's check)."""
    if team_id is None:
        return None
    team = selectors.staff_teams(user).filter(pk=team_id).first()
    if team is None:
        raise ValidationError(_("Unbekanntes Team."), code="unknown")
    return team


def resolve_person(user: Any, person_id: int | None) -> User | None:
    """A person of the user's authorities (whether they can take reports of the report's
    authority is the service's check)."""
    if person_id is None:
        return None
    person = selectors.staff_people(user).filter(pk=person_id).first()
    if person is None:
        raise ValidationError(_("Unbekannte Person."), code="unknown")
    return person


def resolve_authority(raw: str | int) -> Authority:
    """An active authority by id or slug. The report's current authority is found too, so
    that forwarding to it is refused by the service with its reason."""
    text = str(raw).strip()
    active = selectors.forward_targets()
    if "\x00" in text:
        raise ValidationError(_("Unbekannte Stelle."), code="unknown")
    found = active.filter(pk=int(text)) if params.is_int(text) else active.filter(slug=text)
    authority = found.first()
    if authority is None:
        raise ValidationError(_("Unbekannte Stelle."), code="unknown")
    return authority


def resolve_original(user: Any, raw: str | int, *, message: str = "") -> Report:
    """The report another one duplicates, by id or by number ("2026-000042"), among the
    reports the user may see."""
    original = selectors.staff_report_by_reference(user, raw)
    if original is None:
        raise ValidationError(
            message or _("Ursprüngliche Meldung nicht gefunden."), code="not_found"
        )
    return original


# ---- actions on one report ---------------------------------------------------------------


def _transition(
    report: Report, *, by: User, status: str, note: str = "", public_note: bool = True
) -> str:
    services.report_transition(report, status, by=by, note=note, public_note=public_note)
    return _("Status geändert: %(status)s.") % {"status": report.get_status_display()}


def _close(report: Report, *, by: User, note: str = "", public_note: bool = True) -> str:
    services.report_close(report, by=by, note=note, public_note=public_note)
    return _("Status geändert: %(status)s.") % {"status": report.get_status_display()}


def _reopen(report: Report, *, by: User, note: str = "", public_note: bool = True) -> str:
    services.report_reopen(report, by=by, note=note, public_note=public_note)
    return _("Status geändert: %(status)s.") % {"status": report.get_status_display()}


def _assign(
    report: Report, *, by: User, team: Team | None = None, person: User | None = None
) -> str:
    services.report_assign(report, team=team, user=person, by=by)
    return _("Zuweisung gespeichert.")


def _take(report: Report, *, by: User) -> str:
    services.report_take(report, by=by)
    return _("Sie haben die Meldung übernommen.")


def _priority(report: Report, *, by: User, priority: int) -> str:
    services.report_set_priority(report, priority=priority, by=by)
    return _("Priorität: %(priority)s.") % {"priority": report.get_priority_display()}


def _forward(
    report: Report, *, by: User, authority: Authority, note: str, public_note: bool = False
) -> str:
    services.report_forward_to_authority(
        report, authority=authority, by=by, note=note, public_note=public_note
    )
    return _("Meldung %(ref)s an %(authority)s weitergeleitet.") % {
        "ref": report.reference,
        "authority": authority.name,
    }


def _duplicate(report: Report, *, by: User, original: Report, note: str = "") -> str:
    services.report_mark_duplicate(report, original=original, by=by, note=note)
    return _("Als Duplikat von Meldung %(ref)s markiert.") % {"ref": original.reference}


def _reject(report: Report, *, by: User, reason: str) -> str:
    services.report_reject(report, reason=reason, by=by)
    return _("Meldung abgelehnt.")


def _note(report: Report, *, by: User, text: str, public: bool = False) -> str:
    services.report_add_note(report, by=by, text=text, public=public)
    return _("Kommentar veröffentlicht.") if public else _("Interne Notiz gespeichert.")


def _photo(
    report: Report,
    *,
    by: User,
    photo: IO[bytes],
    kind: str = Photo.Kind.AFTER,
    public: bool = False,
) -> str:
    services.report_add_photo(report, by=by, file=photo, kind=kind, public=public)
    return _("Foto gespeichert.")


def _photo_visibility(report: Report, *, by: User, photo: int, public: bool) -> str:
    changed = moderation.photo_set_public(report, photo_id=photo, public=public, by=by)
    if not changed:
        return _("Das Foto war schon so eingestellt.")
    return _("Foto veröffentlicht.") if public else _("Foto verborgen.")


def _photo_blur_add(report: Report, *, by: User, photo: int, x: int, y: int, w: int, h: int) -> str:
    redaction.photo_blur_add(report, photo_id=photo, x=x, y=y, w=w, h=h, by=by)
    return _("Bereich geschwärzt; die öffentliche Fassung des Fotos ist neu erstellt.")


def _photo_blur_remove(report: Report, *, by: User, photo: int, box: int) -> str:
    redaction.photo_blur_remove(report, photo_id=photo, box_id=box, by=by)
    return _("Schwärzung entfernt; die öffentliche Fassung des Fotos ist neu erstellt.")


def _description(report: Report, *, by: User, mode: str, text: str = "", note: str = "") -> str:
    moderation.report_moderate_description(report, by=by, mode=mode, text=text, note=note)
    return {
        "edit": _("Öffentliche Beschreibung gespeichert."),
        "hide": _("Beschreibung öffentlich entfernt."),
    }.get(mode, _("Ursprüngliche Beschreibung wieder veröffentlicht."))


def _comment_review(report: Report, *, by: User, comment: int, publish: bool) -> str:
    moderation.comment_review(report, event_id=comment, publish=publish, by=by)
    return _("Kommentar veröffentlicht.") if publish else _("Kommentar abgelehnt.")


def _abuse_resolve(report: Report, *, by: User, note: str = "") -> str:
    count = moderation.abuse_resolve(report, by=by, note=note)
    return _("%(n)d Missbrauchsmeldung(en) erledigt.") % {"n": count}


def _privacy(report: Report, *, by: User, description_clean: bool) -> str:
    services.report_mark_description_clean(report, clean=description_clean, by=by)
    if description_clean:
        return _("Die Beschreibung bleibt bei der Anonymisierung erhalten.")
    return _("Die Beschreibung wird bei der Anonymisierung gelöscht.")


@dataclass(frozen=True)
class StaffAction:
    """One thing staff do to a report: the parameters it takes (already resolved objects),
    the permission the service checks, and the call, which returns the success message."""

    name: str
    permission: str | None
    inputs: tuple[str, ...]
    call: Callable[..., str]


# permission None: "transition" checks the workflow action of the chosen status (review,
# accept, start, pause, close, reopen). "note" checks "comment" when the note is public.
ACTIONS: dict[str, StaffAction] = {
    action.name: action
    for action in (
        StaffAction("transition", None, ("status", "note", "public_note"), _transition),
        StaffAction("close", "close", ("note", "public_note"), _close),
        StaffAction("reopen", "reopen", ("note", "public_note"), _reopen),
        StaffAction("assign", "assign", ("team", "person"), _assign),
        StaffAction("take", "take", (), _take),
        StaffAction("priority", "priority", ("priority",), _priority),
        StaffAction("forward", "forward", ("authority", "note", "public_note"), _forward),
        StaffAction("duplicate", "duplicate", ("original", "note"), _duplicate),
        StaffAction("reject", "reject", ("reason",), _reject),
        StaffAction("note", "note", ("text", "public"), _note),
        StaffAction("photo", "photo", ("photo", "kind", "public"), _photo),
        # Moderation (tracker.services.moderation); no bulk form: each is a decision on
        # one photo, text or comment.
        StaffAction("photo-visibility", "photo_visibility", ("photo", "public"), _photo_visibility),
        StaffAction(
            "photo-blur-add", "photo_visibility", ("photo", "x", "y", "w", "h"), _photo_blur_add
        ),
        StaffAction("photo-blur-remove", "photo_visibility", ("photo", "box"), _photo_blur_remove),
        StaffAction("description", "moderate", ("mode", "text", "note"), _description),
        StaffAction("comment-review", "moderate", ("comment", "publish"), _comment_review),
        StaffAction("abuse-resolve", "moderate", ("note",), _abuse_resolve),
        StaffAction("privacy", "privacy", ("description_clean",), _privacy),
    )
}


def perform(
    action: str, report: Report, *, by: User, expected_version: str | None = None, **params: Any
) -> str:
    """Run a staff action on one report; returns the success message. Refusals are the
    service's: NotPermitted (403), ValidationError/WorkflowError (400), PhotoRejected.

    With `expected_version` (a change made offline, tracker.staff.versions) the report is
    locked first and the change is applied only if the report is still at that version, in
    the same transaction; otherwise VersionConflict (409) and nothing changes."""
    spec = ACTIONS[action]
    unknown = set(params) - set(spec.inputs)
    if unknown:  # a programming error, not the user's
        raise TypeError(f"{action} takes no {', '.join(sorted(unknown))}")
    if expected_version is None:
        return spec.call(report, by=by, **params)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if report_version(locked) != expected_version:
            raise VersionConflict(locked, expected_version)
        return spec.call(report, by=by, **params)


# ---- bulk actions --------------------------------------------------------------------------


def _bulk_assign(
    ids: list[int], *, by: User, team: Team | None = None, person: User | None = None
) -> list[BulkResult]:
    return services.bulk_assign(ids, team=team, user=person, by=by)


def _bulk_transition(
    ids: list[int], *, by: User, status: str, note: str = "", public_note: bool = True
) -> list[BulkResult]:
    return services.bulk_transition(ids, status, by=by, note=note, public_note=public_note)


def _bulk_priority(ids: list[int], *, by: User, priority: int) -> list[BulkResult]:
    return services.bulk_set_priority(ids, priority=priority, by=by)


def _bulk_merge(ids: list[int], *, by: User, original: Report, note: str = "") -> list[BulkResult]:
    return services.bulk_merge_duplicates(original, ids, by=by, note=note)


@dataclass(frozen=True)
class BulkAction:
    """A bulk action: applied per report (own transaction each), a result per report."""

    name: str
    inputs: tuple[str, ...]
    call: Callable[..., list[BulkResult]]
    required: tuple[str, ...] = field(default=())


BULK_ACTIONS: dict[str, BulkAction] = {
    action.name: action
    for action in (
        BulkAction("assign", ("team", "person"), _bulk_assign),
        BulkAction("transition", ("status", "note", "public_note"), _bulk_transition, ("status",)),
        BulkAction("priority", ("priority",), _bulk_priority, ("priority",)),
        BulkAction("merge", ("original", "note"), _bulk_merge, ("original",)),
    )
}
# Older name of the bulk status change on the staff pages, still accepted there.
BULK_ALIASES: dict[str, str] = {"status": "transition"}


def bulk_action_name(raw: str) -> str | None:
    """The bulk action a request names (aliases resolved), or None."""
    name = BULK_ALIASES.get(raw, raw)
    return name if name in BULK_ACTIONS else None


def bulk_apply(action: str, ids: Iterable[int], *, by: User, **params: Any) -> list[BulkResult]:
    """Apply a bulk action to the reports `ids` (in that order, each on its own). Parameters
    the action does not take are left out, so a form with fields for every bulk action can
    pass all it read."""
    spec = BULK_ACTIONS[BULK_ALIASES.get(action, action)]
    taken = {name: value for name, value in params.items() if name in spec.inputs}
    return spec.call(list(ids), by=by, **taken)
