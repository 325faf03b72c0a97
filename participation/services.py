"""Every change of the participation: plans (area, documents, display, result) and statements
(submit, confirm, tag, answer). Each service checks, changes, writes the statement's history
and queues mail by name through the outbox (notifications.participation_mail renders it)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.contrib.gis.geos import MultiPolygon, Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.attachments import AttachmentRejected, CheckedAttachment, check_attachment, check_pdf
from outbox import enqueue_on_commit

from .models import (
    AccessLevel,
    Plan,
    PlanDocument,
    PlanStatus,
    Statement,
    StatementAttachment,
    StatementEvent,
    StatementStatus,
)
from .permissions import is_plan_staff

MAX_ATTACHMENTS = 5
MAX_TEXT = 20_000
MAX_TAGS = 10
LEVEL_RANK = {AccessLevel.GUEST: 0, AccessLevel.REGISTERED: 1, AccessLevel.VERIFIED: 2}


@dataclass(frozen=True)
class Upload:
    fileobj: IO[bytes]
    filename: str


def _require_staff(plan: Plan, by: User) -> None:
    if not is_plan_staff(by, plan.authority_id):
        raise PermissionDenied(_("Sie bearbeiten die Bebauungspläne dieser Stelle nicht."))


def user_level(user: User | None) -> str:
    if user is None or not user.is_authenticated:
        return AccessLevel.GUEST
    return str(user.assurance_level)


def may_submit(user: User | None, plan: Plan) -> bool:
    return LEVEL_RANK.get(user_level(user), 0) >= LEVEL_RANK.get(plan.access_level, 99)  # type: ignore[call-overload]


def level_hint(plan: Plan) -> str:
    if plan.access_level == AccessLevel.VERIFIED:
        return _(
            "Für Stellungnahmen zu diesem Plan ist eine geprüfte Identität nötig. Bitte melden "
            "Sie sich an und weisen Sie Ihre Identität mit dem Online-Ausweis (BundID) nach."
        )
    return _(
        "Für Stellungnahmen zu diesem Plan brauchen Sie ein Bürgerkonto. Bitte melden Sie "
        "sich an oder registrieren Sie sich."
    )


# ------------------------------------------------------------------ plans (staff)


@transaction.atomic
def plan_set_area(plan: Plan, *, geom: MultiPolygon, by: User) -> Plan:
    _require_staff(plan, by)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == PlanStatus.RESULT:
        raise ValidationError(
            _("Nach Veröffentlichung des Ergebnisses ändert sich das Gebiet nicht.")
        )
    locked.area = geom
    locked.save(update_fields=["area", "updated_at"])
    return locked


def plan_add_document(
    plan: Plan, *, fileobj: IO[bytes], filename: str, title: str, by: User
) -> PlanDocument:
    _require_staff(plan, by)
    title = (title or "").strip()[:200]
    if not title:
        raise ValidationError({"title": _("Bitte einen Titel für die Unterlage angeben.")})
    data = fileobj.read(50 * 1024 * 1024 + 1)
    if len(data) > 50 * 1024 * 1024:
        raise ValidationError({"file": _("Die Datei ist größer als 50 MB.")})
    try:
        check_pdf(data, filename)
    except AttachmentRejected as exc:
        raise ValidationError({"file": exc.message}) from None
    document = PlanDocument(plan=plan, title=title, size=len(data))
    document.file.save(f"{secrets.token_hex(8)}.pdf", ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def plan_open_display(plan: Plan, *, by: User) -> Plan:
    """Draft → on display: the plan, its area and documents become public."""
    _require_staff(plan, by)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(_("Nur ein Entwurf kann ausgelegt werden."))
    if locked.area is None:
        raise ValidationError(_("Bitte zuerst den Geltungsbereich hochladen."))
    if not locked.documents.exists():
        raise ValidationError(_("Bitte zuerst mindestens eine Planunterlage (PDF) hochladen."))
    locked.status = PlanStatus.DISPLAY
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


@transaction.atomic
def plan_close(plan: Plan, *, by: User) -> Plan:
    _require_staff(plan, by)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.DISPLAY:
        raise ValidationError(_("Nur ein ausgelegter Plan kann geschlossen werden."))
    if timezone.now() < locked.display_end:
        raise ValidationError(_("Die Auslegungsfrist läuft noch; sie kann nicht verkürzt werden."))
    locked.status = PlanStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def plan_publish_result(plan: Plan, *, by: User, text: str, document: Upload | None = None) -> Plan:
    """Publish the outcome of the consideration; every author of a confirmed statement is
    told (notifications.participation_result)."""
    _require_staff(plan, by)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status not in (PlanStatus.DISPLAY, PlanStatus.CLOSED):
        raise ValidationError(
            _("Das Ergebnis kann nur nach einer Auslegung veröffentlicht werden.")
        )
    if timezone.now() < locked.display_end:
        raise ValidationError(_("Die Auslegungsfrist läuft noch; das Ergebnis kommt danach."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Bitte das Ergebnis der Abwägung beschreiben.")})
    if document is not None:
        data = document.fileobj.read(50 * 1024 * 1024)
        try:
            check_pdf(data, document.filename)
        except AttachmentRejected as exc:
            raise ValidationError({"document": exc.message}) from None
        locked.result_document.save(f"{secrets.token_hex(8)}.pdf", ContentFile(data), save=False)
    locked.result_text = text
    locked.status = PlanStatus.RESULT
    locked.result_published_at = timezone.now()
    locked.save()
    for statement in locked.statements.filter(confirmed_at__isnull=False).order_by("pk"):
        StatementEvent.objects.create(statement=statement, kind=StatementEvent.Kind.RESULT, by=by)
    enqueue_on_commit("notifications.participation_result", locked.pk)
    return locked


# ------------------------------------------------------------------ statements (citizens)


def _check_pin(plan: Plan, pin: Point | None) -> None:
    if pin is None:
        return
    if plan.area is None or not plan.area.covers(pin):
        raise ValidationError(
            {
                "pin": _(
                    "Der markierte Ort liegt außerhalb des Plangebiets. Bitte einen Ort innerhalb "
                    "der umrandeten Fläche wählen oder die Markierung weglassen."
                )
            }
        )


def _check_open(plan: Plan, now: datetime) -> None:
    if plan.status != PlanStatus.DISPLAY or now < plan.display_start:
        raise ValidationError(_("Zu diesem Plan werden zurzeit keine Stellungnahmen angenommen."))
    if now >= plan.display_end:
        end = timezone.localtime(plan.display_end).strftime("%d.%m.%Y, %H:%M")
        raise ValidationError(
            _(
                "Die Frist für Stellungnahmen ist am %(end)s Uhr abgelaufen. Ihre Stellungnahme "
                "wurde nicht angenommen."
            )
            % {"end": end}
        )


def _check_uploads(uploads: list[Upload]) -> list[CheckedAttachment]:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Höchstens %(max)s Anlagen.") % {"max": MAX_ATTACHMENTS}}
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_attachment(upload.fileobj, filename=upload.filename))
        except AttachmentRejected as exc:
            errors.append(exc.message)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _author(plan: Plan, user: User | None, email: str) -> tuple[User | None, str]:
    if not may_submit(user, plan):
        raise PermissionDenied(level_hint(plan))
    if user is not None and user.is_authenticated:
        return user, ""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Bitte eine gültige E-Mail-Adresse angeben; an sie geht die Bestätigung.")}
        ) from None
    return None, email


def _receipt(plan: Plan) -> str:
    count = Statement.objects.filter(plan=plan).count() + 1
    return f"BP{plan.pk}-{count:05d}-{secrets.randbelow(900) + 100}"


def _clean_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": _("Bitte schreiben Sie Ihre Stellungnahme.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {
                "text": _("Höchstens %(max)s Zeichen; längere Texte bitte als PDF anhängen.")
                % {"max": MAX_TEXT}
            }
        )
    return text


def statement_submit(
    plan: Plan,
    *,
    user: User | None,
    text: str,
    email: str = "",
    name: str = "",
    pin: Point | None = None,
    uploads: list[Upload] | None = None,
    language: str = "de",
) -> Statement:
    """Store a statement if the plan takes statements now (checked under a lock on the plan,
    so a form opened before the deadline and sent after it is refused), the author's account
    level suffices and the pin lies inside the plan area. Account holders get the receipt
    mail at once; guests first confirm their address."""
    author, guest_email = _author(plan, user, email)
    text = _clean_text(text)
    checked = _check_uploads(uploads or [])
    stored: list[StatementAttachment] = []
    try:
        with transaction.atomic():
            locked = Plan.objects.select_for_update().get(pk=plan.pk)
            now = timezone.now()
            _check_open(locked, now)
            _check_pin(locked, pin)
            statement = Statement.objects.create(
                plan=locked,
                author=author,
                email=guest_email,
                name=(name or "").strip()[:150],
                text=text,
                pin=pin,
                language=language if language in ("de", "en") else "de",
                submitted_at=now,
                receipt=_receipt(locked),
                confirmed_at=now if author is not None else None,
            )
            stored = _store_attachments(statement, checked)
            StatementEvent.objects.create(
                statement=statement, kind=StatementEvent.Kind.SUBMITTED, by=author
            )
            if author is not None:
                enqueue_on_commit("notifications.participation_receipt", statement.pk)
            else:
                enqueue_on_commit("notifications.participation_confirm", statement.pk)
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return statement


def _store_attachments(
    statement: Statement, checked: list[CheckedAttachment]
) -> list[StatementAttachment]:
    stored = []
    for file in checked:
        attachment = StatementAttachment(
            statement=statement,
            original_name=file.original_name,
            content_type=file.content_type,
            size=len(file.data),
            sha256=file.sha256,
        )
        attachment.file.save(
            f"{secrets.token_hex(8)}.{file.extension}", ContentFile(file.data), save=False
        )
        stored.append(attachment)
        attachment.save()
    return stored


CONFIRM_DAYS = 7


@transaction.atomic
def statement_confirm(token: str) -> Statement:
    """A guest confirms the address. The statement counts as received when it was submitted
    (within the period); the link works for CONFIRM_DAYS days."""
    statement = (
        Statement.objects.select_for_update().select_related("plan").filter(token=token).first()
    )
    if statement is None or statement.author_id is not None:
        raise ValidationError(_("Dieser Bestätigungslink ist ungültig."))
    if statement.confirmed_at is not None:
        return statement
    if (timezone.now() - statement.submitted_at).days >= CONFIRM_DAYS:
        raise ValidationError(
            _("Dieser Bestätigungslink ist abgelaufen (%(days)s Tage).") % {"days": CONFIRM_DAYS}
        )
    statement.confirmed_at = timezone.now()
    statement.save(update_fields=["confirmed_at"])
    StatementEvent.objects.create(statement=statement, kind=StatementEvent.Kind.CONFIRMED)
    enqueue_on_commit("notifications.participation_receipt", statement.pk)
    return statement


# ------------------------------------------------------------------ statements (staff)


def parse_tags(raw: str) -> list[str]:
    tags: list[str] = []
    for part in (raw or "").replace(";", ",").split(","):
        tag = " ".join(part.split())[:40]
        if tag and tag.lower() not in [t.lower() for t in tags]:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": _("Höchstens %(max)s Schlagworte.") % {"max": MAX_TAGS}})
    return tags


@transaction.atomic
def statement_tag(statement: Statement, *, tags: list[str], by: User) -> Statement:
    _require_staff(statement.plan, by)
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.tags == tags:
        return locked
    locked.tags = tags
    locked.save(update_fields=["tags"])
    StatementEvent.objects.create(
        statement=locked, kind=StatementEvent.Kind.TAGGED, by=by, note=", ".join(tags)
    )
    return locked


@transaction.atomic
def statement_answer(statement: Statement, *, answer: str, status: str, by: User) -> Statement:
    """The staff's answer and the statement's standing in the consideration. Citizens read it
    with the published result (the law has the result told, not each draft answer)."""
    _require_staff(statement.plan, by)
    if status not in StatementStatus.values:
        raise ValidationError({"status": _("Bitte einen gültigen Stand wählen.")})
    answer = (answer or "").strip()
    if not answer and status not in (StatementStatus.RECEIVED, StatementStatus.IN_REVIEW):
        raise ValidationError({"answer": _("Bitte die Abwägung kurz begründen.")})
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    locked.answer = answer
    locked.status = status
    locked.answered_at = timezone.now() if answer else None
    locked.save(update_fields=["answer", "status", "answered_at"])
    StatementEvent.objects.create(
        statement=locked, kind=StatementEvent.Kind.ANSWERED, by=by, note=status
    )
    return locked


@transaction.atomic
def statement_review(
    statement: Statement, *, tags: list[str], answer: str, status: str, by: User
) -> Statement:
    """Tags, standing and answer in one go (the staff page's form): all or nothing."""
    statement_tag(statement, tags=tags, by=by)
    return statement_answer(statement, answer=answer, status=status, by=by)


def rate_message() -> str:
    return _(
        "Zu viele Stellungnahmen von diesem Anschluss in kurzer Zeit. Bitte versuchen Sie es "
        "später noch einmal."
    )
