"""State changes of the catalogue: submit, work and pay applications, postbox messages,
favourites and the account's assurance level. Each runs under transaction.atomic, writes an
ApplicationEvent where the history should show it, and queues mail with enqueue_on_commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.attachments import AttachmentRejected, CheckedAttachment, check_attachment
from outbox import enqueue_on_commit

from . import schema_forms
from .fitconnect.handover import handover_queue
from .models import (
    ASSURANCE_RANK,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    AssuranceRequirement,
    Attachment,
    Favourite,
    Message,
    Payment,
    SavedPlace,
    Service,
)
from .payments import fee_for, provider_for_authority
from .responsibility import Responsibility, responsibility_at

MAX_MESSAGE_FILES = 5


class AssuranceTooLow(PermissionDenied):
    """The account's level is below what the service needs; `hint` tells how to step up."""

    def __init__(self, service: Service, user: User) -> None:
        self.service = service
        self.required = service.min_assurance
        self.hint = step_up_hint(service.min_assurance)
        super().__init__(self.hint)


class ApplicationInvalid(ValidationError):
    """Form data or attachments are not acceptable; `errors` maps field names ("" = the
    whole form) to German messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__([message for messages in errors.values() for message in messages])


def user_assurance(user: User | None) -> str:
    if user is None or not user.is_authenticated:
        return AssuranceRequirement.GUEST
    return str(user.assurance_level)


def meets_assurance(user: User | None, required: str) -> bool:
    return ASSURANCE_RANK.get(user_assurance(user), 0) >= ASSURANCE_RANK.get(required, 99)  # type: ignore[call-overload]


def step_up_hint(required: str) -> str:
    if required == AssuranceRequirement.VERIFIED:
        return _(
            "Für diese Leistung ist eine geprüfte Identität nötig. Bitte melden Sie sich mit "
            "Ihrem Online-Ausweis über BundID an (Bürgerkonto → „Identität nachweisen“); danach "
            "können Sie den Antrag stellen."
        )
    return _(
        "Für diese Leistung brauchen Sie ein Bürgerkonto mit bestätigter E-Mail-Adresse. "
        "Bitte melden Sie sich an oder registrieren Sie sich."
    )


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS catalogue_application_reference_seq")
        cursor.execute("SELECT nextval('catalogue_application_reference_seq')")
        (number,) = cursor.fetchone() or (0,)
    return f"A-{timezone.localdate().year}-{number:06d}"


@dataclass(frozen=True)
class Upload:
    """A file as handed over by a view or the API."""

    field: str
    fileobj: IO[bytes]
    filename: str


def _check_uploads(uploads: list[Upload]) -> tuple[list[tuple[Upload, CheckedAttachment]], dict]:
    checked: list[tuple[Upload, CheckedAttachment]] = []
    errors: dict[str, list[str]] = {}
    for upload in uploads:
        try:
            checked.append((upload, check_attachment(upload.fileobj, filename=upload.filename)))
        except AttachmentRejected as exc:
            errors.setdefault(upload.field, []).append(exc.message)
    return checked, errors


def _store_attachments(
    application: Application,
    checked: list[tuple[Upload, CheckedAttachment]],
    *,
    by: User | None,
    message: Message | None = None,
) -> None:
    for upload, file in checked:
        attachment = Attachment(
            application=application,
            message=message,
            field=upload.field,
            original_name=file.original_name,
            content_type=file.content_type,
            size=len(file.data),
            sha256=file.sha256,
            uploaded_by=by,
        )
        attachment.file.save(
            f"{file.sha256[:16]}.{file.extension}", ContentFile(file.data), save=False
        )
        attachment.save()


def _online_office(service: Service, applicant: User, point: Point) -> Responsibility:
    """The office that takes the application online, or the reason why none does."""
    if not service.is_active or not service.is_online:
        raise ApplicationInvalid({"": [_("Diese Leistung kann nicht online beantragt werden.")]})
    if not meets_assurance(applicant, service.min_assurance):
        raise AssuranceTooLow(service, applicant)
    responsibility = responsibility_at(service, point)
    if not responsibility.offered_online:
        message = _(
            "%(office)s bietet diese Leistung nicht online an. Bitte wenden Sie sich direkt an "
            "die Stelle."
        ) % {"office": responsibility.authority.name}
        raise ApplicationInvalid({"": [message]})
    return responsibility


def _checked_input(
    service: Service, data: Mapping[str, Any], uploads: list[Upload]
) -> tuple[dict[str, Any], list[Any]]:
    """Form data checked against the service's JSON Schema and the attachments against their
    fields; every problem at once as ApplicationInvalid."""
    schema = service.form_schema
    form_data, errors = schema_forms.coerce(schema, dict(data))
    for name, messages in schema_forms.validate(schema, form_data).items():
        if name not in errors:
            errors[name] = messages
    checked, upload_errors = _check_uploads(uploads)
    errors.update(upload_errors)
    given = {u.field for u in uploads}
    allowed = {u["name"] for u in schema_forms.uploads_of(schema)}
    for spec in schema_forms.uploads_of(schema):
        if spec.get("required") and spec["name"] not in given:
            errors.setdefault(spec["name"], []).append(_("Bitte fügen Sie dieses Dokument bei."))
    if given - allowed:
        errors.setdefault("", []).append(_("Das Formular enthält unbekannte Dateifelder."))
    if errors:
        raise ApplicationInvalid(errors)
    return form_data, checked


def _record_fee(application: Application) -> None:
    rule = fee_for(application)
    if rule is None:
        return
    provider = provider_for_authority(application.authority)
    payment = Payment(
        application=application, amount=rule.amount, label=rule.label, provider=provider.key
    )
    provider.prepare(payment)
    payment.save()
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.PAYMENT,
        note=_("Gebühr %(amount)s € (%(provider)s)")
        % {"amount": number_format(payment.amount, decimal_pos=2), "provider": provider.label},
        authority=application.authority,
    )


def application_submit(
    service: Service,
    *,
    applicant: User,
    point: Point,
    address: str = "",
    data: Mapping[str, Any],
    uploads: list[Upload] | None = None,
) -> Application:
    """File an online application: check the account level, the form data (JSON Schema) and
    the attachments, route it to the responsible office, record it and its fee."""
    responsibility = _online_office(service, applicant, point)
    form_data, checked = _checked_input(service, data, uploads or [])
    with transaction.atomic():
        application = Application.objects.create(
            reference=_next_reference(),
            service=service,
            applicant=applicant,
            authority=responsibility.authority,
            routing_detail=responsibility.detail[:500],
            location=point,
            address=address[:300],
            data=form_data,
        )
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.CREATED,
            actor=applicant,
            to_status=ApplicationStatus.NEW,
            authority=application.authority,
        )
        _store_attachments(application, checked, by=applicant)
        _record_fee(application)
        # The office may take it through FIT-Connect (instead or as well): queued by name.
        handover_queue(application)
        enqueue_on_commit("notifications.application_received", application.pk)
    return application


# Which status may follow which (the tracker's vocabulary, a shorter path).
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.NEW: frozenset(
        {ApplicationStatus.IN_REVIEW, ApplicationStatus.IN_PROGRESS, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.IN_REVIEW: frozenset(
        {ApplicationStatus.IN_PROGRESS, ApplicationStatus.DONE, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.IN_PROGRESS: frozenset(
        {ApplicationStatus.IN_REVIEW, ApplicationStatus.DONE, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.DONE: frozenset({ApplicationStatus.IN_REVIEW}),
    ApplicationStatus.REJECTED: frozenset({ApplicationStatus.IN_REVIEW}),
}


def is_staff_of(user: User, authority_id: int) -> bool:
    if user.is_superuser:
        return True
    return user.memberships.filter(authority_id=authority_id).exists()


def application_transition(
    application: Application, *, to_status: str, by: User, note: str = ""
) -> ApplicationEvent:
    """Staff of the responsible authority move the application on; the note is shown to the
    applicant. A rejection needs a reason."""
    if not is_staff_of(by, application.authority_id):
        raise PermissionDenied(_("Sie arbeiten nicht für die zuständige Stelle."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        allowed = APPLICATION_TRANSITIONS.get(locked.status, frozenset())
        if to_status not in allowed:
            raise ValidationError(
                _("Ein Antrag im Status „%(from)s“ kann nicht auf „%(to)s“ gesetzt werden.")
                % {
                    "from": ApplicationStatus(locked.status).label,
                    "to": ApplicationStatus(to_status).label
                    if to_status in ApplicationStatus.values
                    else to_status,
                }
            )
        if to_status == ApplicationStatus.REJECTED and not note.strip():
            raise ValidationError(_("Bitte geben Sie einen Grund für die Ablehnung an."))
        event = ApplicationEvent.objects.create(
            application=locked,
            kind=ApplicationEvent.Kind.STATUS,
            actor=by,
            from_status=locked.status,
            to_status=to_status,
            note=note.strip()[:5000],
            authority=locked.authority,
        )
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        application.status = to_status
        if to_status == ApplicationStatus.REJECTED:
            # A refused application owes nothing: an open fee is cancelled with the refusal.
            cancelled = Payment.objects.filter(application=locked, state=Payment.State.OPEN).update(
                state=Payment.State.CANCELLED
            )
            if cancelled:
                ApplicationEvent.objects.create(
                    application=locked,
                    kind=ApplicationEvent.Kind.PAYMENT,
                    actor=by,
                    note=_("Gebühr storniert"),
                    authority=locked.authority,
                )
        enqueue_on_commit("notifications.application_updated", event.pk)
    return event


def application_note(application: Application, *, by: User, text: str) -> ApplicationEvent:
    """An internal note of the responsible authority's staff; the applicant never sees it."""
    if not is_staff_of(by, application.authority_id):
        raise PermissionDenied(_("Sie arbeiten nicht für die zuständige Stelle."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Bitte schreiben Sie eine Notiz."))
    with transaction.atomic():
        return ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.NOTE,
            actor=by,
            note=text[:5000],
            is_public=False,
            authority=application.authority,
        )


def message_send(
    application: Application,
    *,
    sender: User,
    body: str,
    uploads: list[Upload] | None = None,
) -> Message:
    """A postbox message from the applicant or from staff of the responsible authority."""
    from_authority = application.applicant_id != sender.pk
    if from_authority and not is_staff_of(sender, application.authority_id):
        raise PermissionDenied(_("Sie dürfen zu diesem Antrag keine Nachricht schreiben."))
    body = body.strip()
    uploads = uploads or []
    errors: dict[str, list[str]] = {}
    if not body and not uploads:
        errors["body"] = [_("Bitte schreiben Sie eine Nachricht oder fügen Sie ein Dokument bei.")]
    if len(body) > 5000:
        errors["body"] = [_("Bitte höchstens %(count)d Zeichen eingeben.") % {"count": 5000}]
    if len(uploads) > MAX_MESSAGE_FILES:
        errors["files"] = [
            _("Höchstens %(count)d Dokumente je Nachricht.") % {"count": MAX_MESSAGE_FILES}
        ]
    checked, upload_errors = _check_uploads(uploads)
    errors.update(upload_errors)
    if errors:
        raise ApplicationInvalid(errors)
    with transaction.atomic():
        message = Message.objects.create(
            application=application, sender=sender, from_authority=from_authority, body=body
        )
        _store_attachments(application, checked, by=sender, message=message)
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.MESSAGE,
            actor=sender,
            note=_("Nachricht von der Behörde")
            if from_authority
            else _("Nachricht der Antragstellerin / des Antragstellers"),
            authority=application.authority,
        )
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
        enqueue_on_commit("notifications.application_message", message.pk)
    return message


def payment_mark_paid(payment: Payment, *, by: User | None, reference: str = "") -> Payment:
    """Record that a fee was paid (staff for invoices, a provider's verified callback)."""
    if by is not None and not is_staff_of(by, payment.application.authority_id):
        raise PermissionDenied(_("Sie arbeiten nicht für die zuständige Stelle."))
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.state != Payment.State.OPEN:
            raise ValidationError(_("Diese Gebühr ist nicht mehr offen."))
        locked.state = Payment.State.PAID
        locked.paid_at = timezone.now()
        locked.external_reference = reference[:200]
        locked.save(update_fields=["state", "paid_at", "external_reference"])
        ApplicationEvent.objects.create(
            application_id=locked.application_id,
            kind=ApplicationEvent.Kind.PAYMENT,
            actor=by,
            note=_("Gebühr bezahlt"),
            authority_id=payment.application.authority_id,
        )
    return locked


def favourite_set(user: User, service: Service, *, pinned: bool) -> None:
    with transaction.atomic():
        if pinned:
            Favourite.objects.get_or_create(user=user, service=service)
        else:
            Favourite.objects.filter(user=user, service=service).delete()


def saved_place_set(user: User, *, label: str, point: Point) -> SavedPlace:
    """Keep (or replace) the citizen's address for the Zuständigkeitsfinder."""
    with transaction.atomic():
        place, _created = SavedPlace.objects.update_or_create(
            user=user, defaults={"label": label[:200], "location": point}
        )
    return place


def saved_place_delete(user: User) -> None:
    with transaction.atomic():
        SavedPlace.objects.filter(user=user).delete()


def user_assurance_raise(user: User, level: str) -> bool:
    """Raise (never lower) the account's assurance level, e.g. after an eID login via OIDC.
    Returns whether it changed."""
    if ASSURANCE_RANK.get(level, 0) <= ASSURANCE_RANK.get(user.assurance_level, 0):  # type: ignore[call-overload]
        return False
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(assurance_level=level)
        user.assurance_level = level
    return True
