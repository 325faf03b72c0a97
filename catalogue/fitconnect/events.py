"""Reading a submitted hand-over's event log back (GET /v1/cases/{caseId}/events).

Every entry is a security event token (JWS, PS512). The platform's own events (create,
submit, notify, forward) are checked against the keys it publishes at /.well-known/jwks.json;
the destination's answer (accept-submission, reject-submission) is signed by the destination
and checked against its signature key (GET /v1/destinations/{id}/keys/{kid}) and its issuer
must be the destination. A token that does not verify is ignored (and shown to staff): a
forged "accepted" never reaches the citizen."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from jwcrypto import jwk

from outbox import enqueue_on_commit

from ..fitconnect_models import Handover, HandoverMode
from ..models import Application, ApplicationEvent, ApplicationStatus, Payment
from . import crypto
from .client import Client, Config, FitConnectError

logger = logging.getLogger(__name__)

DESTINATION_EVENTS = {"accept-submission", "reject-submission"}


class _Keys:
    """The keys tokens are checked against, fetched once per poll."""

    def __init__(self, client: Client, destination_id: str) -> None:
        self.client = client
        self.destination_id = destination_id
        self._platform: jwk.JWKSet | None = None

    def platform(self) -> jwk.JWKSet:
        if self._platform is None:
            self._platform = jwk.JWKSet.from_json(json.dumps(self.client.platform_keys()))
        return self._platform

    def destination(self, kid: str) -> jwk.JWKSet:
        data = self.client.destination_key(self.destination_id, kid)
        if "verify" not in data.get("key_ops", ["verify"]) or "d" in data:
            raise ValueError("kein Prüfschlüssel")
        keys = jwk.JWKSet()
        keys.add(jwk.JWK(**data))
        return keys


def _verified(token: str, handover: Handover, keys: _Keys) -> crypto.SecurityEvent:
    kid = str(crypto.unverified_header(token).get("kid", ""))
    platform = keys.platform()
    if platform.get_key(kid) is not None:
        event = crypto.verify_event(token, platform)
        if event.event in DESTINATION_EVENTS:
            raise ValueError("Antwort des Ziels mit dem Schlüssel der Plattform")
    else:
        event = crypto.verify_event(token, keys.destination(kid))
        if event.iss != handover.destination_id:
            raise ValueError(f"Aussteller {event.iss} ist nicht das Ziel")
    if event.payload["sub"] != f"submission:{handover.submission_id}":
        raise ValueError("gehört zu einer anderen Einreichung")
    return event


def _reason(event: crypto.SecurityEvent) -> str:
    problems = event.payload["detail"].get("problems", [])
    texts = [
        ": ".join(str(p[k]) for k in ("title", "detail") if p.get(k))
        for p in problems
        if isinstance(p, dict)
    ]
    return "; ".join(t for t in texts if t) or _("ohne Begründung")


def _office_decided(handover: Handover, application: Application, accepted: bool) -> None:
    """In mode "fitconnect" the office works in its own system: its answer moves the
    application on, and the citizen is told as after a staff decision."""
    to_status = ApplicationStatus.IN_PROGRESS if accepted else ApplicationStatus.REJECTED
    if application.status in (ApplicationStatus.DONE, ApplicationStatus.REJECTED, to_status):
        return
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.STATUS,
        from_status=application.status,
        to_status=to_status,
        note="" if accepted else handover.reject_reason[:5000],
        authority_id=application.authority_id,
    )
    application.status = to_status
    application.save(update_fields=["status", "updated_at"])
    if not accepted:
        Payment.objects.filter(application=application, state=Payment.State.OPEN).update(
            state=Payment.State.CANCELLED
        )
    enqueue_on_commit("notifications.application_updated", event.pk)


def _apply(handover: Handover, event: crypto.SecurityEvent) -> None:
    at = datetime.fromtimestamp(event.iat, tz=UTC)
    handover.events.append({"jti": event.jti, "event": event.event, "iat": event.iat})
    if event.event not in DESTINATION_EVENTS or handover.state != Handover.State.SUBMITTED:
        return
    accepted = event.event == "accept-submission"
    if accepted:
        handover.state, handover.accepted_at = Handover.State.ACCEPTED, at
        note = _("Vom Fachverfahren angenommen (FIT-Connect).")
    else:
        handover.state, handover.rejected_at = Handover.State.REJECTED, at
        handover.reject_reason = _reason(event)[:2000]
        note = _("Vom Fachverfahren abgelehnt (FIT-Connect): %s") % handover.reject_reason
    application = Application.objects.select_for_update().get(pk=handover.application_id)
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.HANDOVER,
        note=note[:5000],
        authority_id=application.authority_id,
    )
    if handover.mode == HandoverMode.FITCONNECT:
        _office_decided(handover, application, accepted)


def handover_poll(handover_id: int, client: Client | None = None) -> str:
    """Read the event log of a submitted hand-over and record what is new."""
    client = client or Client(Config.from_settings())
    with transaction.atomic():
        handover = (
            Handover.objects.select_for_update(skip_locked=True)
            .filter(pk=handover_id, state=Handover.State.SUBMITTED)
            .exclude(case_id="")
            .first()
        )
        if handover is None:
            return "skipped"
        keys = _Keys(client, handover.destination_id)
        known = {entry["jti"] for entry in handover.events}
        problems: list[str] = []
        for token in client.event_log(handover.case_id):
            try:
                event = _verified(token, handover, keys)
            except (ValueError, KeyError, FitConnectError) as exc:
                problems.append(str(exc))
                continue
            if event.jti not in known:
                known.add(event.jti)
                _apply(handover, event)
        handover.last_polled_at = timezone.now()
        handover.last_error = (
            _("%(count)d Ereignis(se) ließen sich nicht prüfen und wurden übergangen: %(why)s")
            % {"count": len(problems), "why": "; ".join(problems)}
            if problems
            else ""
        )[:2000]
        handover.save()
        if problems:
            logger.warning("fitconnect: hand-over %s: unverified events: %s", handover_id, problems)
    return handover.get_state_display()


def open_handovers(limit: int = 500) -> list[int]:
    return list(
        Handover.objects.filter(state=Handover.State.SUBMITTED)
        .order_by("last_polled_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
