"""The hand-over's state changes: queue it with the application, submit it (idempotent,
retried with backoff), and let staff try again after a refusal. The event log is read in
catalogue.fitconnect.events.

Idempotent: the hand-over row is locked while it is worked on and every step is recorded on
it before the next one (the destination, the announced attachment IDs, the submission and
case IDs, each uploaded attachment), so a retry continues the same submission and a
submitted hand-over is never submitted again."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from outbox import enqueue_on_commit

from ..fitconnect_models import FitConnectRoute, Handover, HandoverMode
from ..models import Application, ApplicationEvent, Attachment
from . import crypto, payload, routing
from .client import Client, Config, Refused, Unreachable

logger = logging.getLogger(__name__)

SUBMIT_TASK = "catalogue.fitconnect_submit"
FIRST_ATTEMPT_GRACE = timedelta(minutes=2)


# --- queueing ------------------------------------------------------------------------------


def route_for(application: Application) -> FitConnectRoute | None:
    """The authority's route for this service, else its route for all services."""
    routes = FitConnectRoute.objects.filter(authority_id=application.authority_id).exclude(
        mode=HandoverMode.OFF
    )
    specific = routes.filter(service_id=application.service_id).first()
    if specific is not None:
        return specific
    if FitConnectRoute.objects.filter(
        authority_id=application.authority_id, service_id=application.service_id
    ).exists():  # switched off for this service
        return None
    return routes.filter(service__isnull=True).first()


def handover_queue(application: Application) -> Handover | None:
    """Called inside the transaction that stores the application: record the hand-over and
    queue its submission by name after the commit."""
    route = route_for(application)
    if route is None:
        return None
    handover = Handover.objects.create(
        application=application,
        mode=route.mode,
        destination_id=route.destination_id,
        next_attempt_at=timezone.now() + FIRST_ATTEMPT_GRACE,
    )
    enqueue_on_commit(SUBMIT_TASK, handover.pk)
    return handover


# --- submitting ----------------------------------------------------------------------------


def _destination_id(client: Client, handover: Handover) -> str:
    """The configured destination, else the Routing API's answer for LeiKa key + ARS."""
    if handover.destination_id:
        return handover.destination_id
    application = handover.application
    leika = application.service.leika_key
    ars = application.authority.ars or application.authority.ags
    if not leika or not ars:
        raise Refused(
            _(
                "Kein Ziel: Die Leistung hat keinen LeiKa-Schlüssel oder die Behörde keinen "
                "Regionalschlüssel (ARS), und es ist keine Destination-ID eingetragen."
            )
        )
    routes = client.routes(leika, ars)
    if not routes:
        raise Refused(
            _("Die Routing-API kennt kein Ziel für LeiKa %(leika)s im Gebiet %(ars)s.")
            % {"leika": leika, "ars": ars}
        )
    # Only a route whose signatures verify is used (catalogue.fitconnect.routing).
    handover.destination_id = routing.verified_destination(client, routes[0], leika=leika, ars=ars)
    handover.save(update_fields=["destination_id"])
    return handover.destination_id


def _announce(handover: Handover) -> list[Attachment]:
    """The application's own documents (not the postbox's), each with a stable UUID."""
    documents = list(handover.application.attachments.filter(message__isnull=True))
    if not handover.attachments:
        handover.attachments = {
            str(a.pk): {"id": str(uuid.uuid4()), "uploaded": False} for a in documents
        }
        handover.save(update_fields=["attachments"])
    return [a for a in documents if str(a.pk) in handover.attachments]


def _read(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as stream:
        return bytes(stream.read())


def _run(client: Client, handover: Handover) -> None:
    """The steps of the Submission API, each recorded before the next."""
    application = handover.application
    destination_id = _destination_id(client, handover)
    destination = client.destination(destination_id)
    if destination.get("status", "active") != "active":
        raise Refused(_("Das Ziel %(id)s ist nicht aktiv.") % {"id": destination_id})
    key = crypto.encryption_key(
        client.destination_key(destination_id, str(destination.get("encryptionKid", "")))
    )
    documents = _announce(handover)
    if not handover.submission_id:
        created = client.create_submission(
            destination_id,
            payload.service_identifier(application),
            [handover.attachments[str(a.pk)]["id"] for a in documents],
        )
        handover.submission_id = str(created["submissionId"])
        handover.case_id = str(created.get("caseId", ""))
        handover.save(update_fields=["submission_id", "case_id"])
    contents: list[tuple[Attachment, str, bytes]] = []
    for attachment in documents:
        entry = handover.attachments[str(attachment.pk)]
        content = _read(attachment)
        contents.append((attachment, entry["id"], content))
        if not entry["uploaded"]:
            jwe = crypto.encrypt(content, key, content_type=attachment.content_type)
            client.upload_attachment(handover.submission_id, entry["id"], jwe)
            entry["uploaded"] = True
            handover.save(update_fields=["attachments"])
    schema_uri = payload.submission_schema(application, destination)
    data = payload.form_data(application, schema_uri)
    metadata = payload.metadata(
        application,
        schema_uri=schema_uri,
        data=data,
        attachments=contents,
        version=client.config.api_version,
    )
    answer = client.submit(
        handover.submission_id,
        crypto.encrypt(metadata, key, content_type="application/json"),
        crypto.encrypt(data, key, content_type="application/json"),
    )
    handover.case_id = handover.case_id or str(answer.get("caseId", ""))


def _backoff(attempts: int) -> timedelta:
    base = settings.FITCONNECT_RETRY_BASE_SECONDS
    return timedelta(seconds=min(settings.FITCONNECT_RETRY_MAX_SECONDS, base * 2 ** (attempts - 1)))


def _record(handover: Handover, note: str, *, public: bool) -> None:
    ApplicationEvent.objects.create(
        application_id=handover.application_id,
        kind=ApplicationEvent.Kind.HANDOVER,
        note=note[:5000],
        is_public=public,
        authority_id=handover.application.authority_id,
    )


def handover_submit(handover_id: int, client: Client | None = None) -> str:
    """One attempt (the task `catalogue.fitconnect_submit` and the beat task call it):
    "submitted", "postponed" (no answer: retried later), "refused" (staff must act) or
    "skipped" (not pending, or someone else is at it)."""
    client = client or Client(Config.from_settings())
    with transaction.atomic():
        handover = (
            Handover.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application__service", "application__authority")
            .filter(pk=handover_id, state=Handover.State.PENDING)
            .first()
        )
        if handover is None:
            return "skipped"
        handover.attempts += 1
        fields = ["attempts", "state", "last_error", "next_attempt_at", "case_id", "submitted_at"]
        try:
            _run(client, handover)
        except (Unreachable, ValueError, KeyError, TypeError) as exc:
            # No answer, or one we cannot read (not JSON, a field missing): try again later.
            reason = exc if isinstance(exc, Unreachable) else f"Unerwartete Antwort: {exc!r}"
            handover.last_error = str(reason)[:2000]
            handover.next_attempt_at = timezone.now() + _backoff(handover.attempts)
            handover.save(update_fields=fields)
            logger.warning("fitconnect: hand-over %s postponed: %s", handover_id, exc)
            return "postponed"
        except Refused as exc:
            handover.state = Handover.State.FAILED
            handover.last_error = str(exc)[:2000]
            handover.next_attempt_at = None
            handover.save(update_fields=fields)
            _record(
                handover, _("FIT-Connect hat die Übermittlung abgewiesen: %s") % exc, public=False
            )
            logger.error("fitconnect: hand-over %s refused: %s", handover_id, exc)
            return "refused"
        handover.state = Handover.State.SUBMITTED
        handover.submitted_at = timezone.now()
        handover.last_error = ""
        handover.next_attempt_at = None
        handover.save(update_fields=fields)
        _record(handover, _("Über FIT-Connect an das Fachverfahren übermittelt."), public=True)
    return "submitted"


def handover_retry(handover: Handover, *, by: User) -> Handover:
    """Staff: try a refused hand-over again (after the configuration was fixed) as a new
    submission, or push a pending one now."""
    authority_id = handover.application.authority_id
    if not (by.is_superuser or by.memberships.filter(authority_id=authority_id).exists()):
        raise PermissionDenied(_("Sie arbeiten nicht für die zuständige Stelle."))
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if locked.state == Handover.State.FAILED:
            route = route_for(locked.application)
            locked.destination_id = route.destination_id if route else locked.destination_id
            locked.submission_id = locked.case_id = ""
            locked.attachments = {}
        elif locked.state != Handover.State.PENDING:
            raise ValidationError(_("Diese Übermittlung ist schon erfolgt."))
        locked.state = Handover.State.PENDING
        locked.next_attempt_at = timezone.now() + FIRST_ATTEMPT_GRACE
        locked.save()
        ApplicationEvent.objects.create(
            application_id=locked.application_id,
            kind=ApplicationEvent.Kind.HANDOVER,
            actor=by,
            note=_("Übermittlung über FIT-Connect erneut angestoßen."),
            is_public=False,
            authority_id=locked.application.authority_id,
        )
        # A new outbox row for each push (the key holds the moment); beat is the fallback.
        enqueue_on_commit(SUBMIT_TASK, locked.pk, int(timezone.now().timestamp() * 1000))
    return locked


def due_handovers(limit: int = 200) -> list[int]:
    return list(
        Handover.objects.filter(state=Handover.State.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
