"""Forwarding an authority's new reports to its own Open311 system (OutboundEndpoint).

When a report reaches such an authority — routed to it at intake or forwarded to it (the
tracker's `report_reached_authority` signal, see signals.py) — `queue_delivery` records one
OutboundDelivery per endpoint and report and queues it through the outbox
("open311.deliver_report", target ("open311.delivery", delivery id)) in the same transaction.
`deliver` (the outbox handler) makes one attempt: it POSTs requests.xml form-encoded as
FixMyStreet's Open311 sender does (service_code, lat/long, description, address_string,
contact data, media_url, attribute[CODE]), reads the service_request_id (or the token, then
asks tokens/{token}.xml) and records the answer on the outbox row.

Never twice: the delivery row is unique per endpoint and report, the outbox row is locked
while sending, and a sent delivery is never sent again. Connection errors, timeouts and 5xx
answers raise RetryLater, so the outbox's one retry policy applies (exponential backoff,
NOTIFICATIONS_MAX_ATTEMPTS); a 4xx answer (or an answer we cannot read) raises GiveUp —
sending the same request again would fail again. A lost answer (the connection broke after
the request was sent) cannot be told apart from a request that never arrived; it is retried,
as FixMyStreet does.
"""

from __future__ import annotations

import logging
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import net
from core.media import signed_url
from core.process_cache import ProcessCached
from core.urls import absolute_url
from outbox import delivery as outbox
from outbox import enqueue_on_commit
from outbox.models import OutboxMessage
from outbox.registry import Cancelled, GiveUp, RetryLater
from tracker.models import Report

from .models import OutboundDelivery, OutboundEndpoint, RequestAttributes

logger = logging.getLogger(__name__)

KIND = "open311.deliver_report"
TIMEOUT_SECONDS = 30  # for connecting, and for each read of the answer
MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 2000


# --- queueing (called from the tracker's report_reached_authority signal, see signals.py) ---


def _load_authorities() -> frozenset[int]:
    return frozenset(
        OutboundEndpoint.objects.filter(is_active=True).values_list("authority_id", flat=True)
    )


# Asked on every intake, and almost always empty: kept per process (no Redis round trip per
# report), dropped in every process when an endpoint is saved or deleted (core.process_cache).
ENDPOINTS_VERSION_KEY = "open311:outbound-authorities:version"
_authorities = ProcessCached(ENDPOINTS_VERSION_KEY, _load_authorities)


def authorities_with_endpoints() -> frozenset[int]:
    """Authorities with an active outbound endpoint."""
    return _authorities.get()


def forget_endpoints(**kwargs: Any) -> None:
    """Signal receiver: an endpoint changed."""
    _authorities.changed()


def forget() -> None:
    """Drop this process's copy (tests: the database was rolled back underneath)."""
    _authorities.forget()


def endpoint_for(authority_id: int) -> OutboundEndpoint | None:
    """The active endpoint of the authority a report just reached."""
    if authority_id not in authorities_with_endpoints():
        return None
    return OutboundEndpoint.objects.filter(authority_id=authority_id, is_active=True).first()


def _enqueue(delivery: OutboundDelivery) -> int:
    return enqueue_on_commit(KIND, delivery.pk, target=(OutboundDelivery.TARGET, delivery.pk))


def queue_delivery(endpoint: OutboundEndpoint, report_id: int) -> OutboundDelivery | None:
    """Record the delivery and queue it in the outbox; None when this report was already
    handed to this endpoint (forwarded away and back again)."""
    delivery, created = OutboundDelivery.objects.get_or_create(
        endpoint=endpoint, report_id=report_id
    )
    if not created:
        return None
    _enqueue(delivery)
    return delivery


def resend(delivery: OutboundDelivery) -> bool:
    """Admin: send a given-up delivery again (after the endpoint was fixed), or push one whose
    retry got lost (e.g. Redis was down). A sent delivery is never sent again."""
    with transaction.atomic():
        if OutboundDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=False).exists():
            return False
        message = delivery.message
        if message is None:  # its outbox row was purged: queue it anew
            _enqueue(delivery)
            return True
        return outbox.requeue(message.pk)


# --- the request --------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = name.strip().partition(" ")
    return first, last.strip()


def _photo_url(report: Report) -> str:
    """The released photo if there is one, else the first one (the receiving authority sees
    all photos of its reports anyway) as a signed link its system can fetch (core.media)."""
    photos = list(report.photos.order_by("-is_public", "created_at", "id")[:1])
    if not photos:
        return ""
    photo = photos[0]
    return absolute_url(photo.image.url if photo.is_public else signed_url(photo.image.name))


def request_fields(endpoint: OutboundEndpoint, report: Report) -> list[tuple[str, str]]:
    """The form fields of POST requests.xml for `report` (GeoReport v2, as FixMyStreet sends)."""
    fields: list[tuple[str, str]] = []
    if endpoint.jurisdiction_id:
        fields.append(("jurisdiction_id", endpoint.jurisdiction_id))
    if endpoint.api_key:
        fields.append(("api_key", endpoint.api_key))
    fields += [
        ("service_code", endpoint.remote_code(report.category.slug)),
        ("lat", f"{report.location.y:.6f}"),
        ("long", f"{report.location.x:.6f}"),
        ("description", report.description),
    ]
    if report.address:
        fields.append(("address_string", report.address))
    if endpoint.send_contact:
        first, last = _split_name(report.reporter_name)
        for name, value in (
            ("email", report.reporter_email),
            ("first_name", first),
            ("last_name", last),
            ("phone", report.reporter_phone),
        ):
            if value:
                fields.append((name, value))
    media_url = _photo_url(report)
    if media_url:
        fields.append(("media_url", media_url))
    extra = RequestAttributes.objects.filter(report=report).only("values").first()
    for code, value in (extra.values if extra else {}).items():
        if isinstance(value, list):
            fields += [(f"attribute[{code}][]", str(v)) for v in value]
        else:
            fields.append((f"attribute[{code}]", str(value)))
    return fields


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    size: int = 0


class Unreachable(Exception):
    """No HTTP answer: connection refused or broken, DNS, timeout."""


class Refused(Exception):
    """The endpoint's URL may not be called (core.net): an internal address, another scheme."""


def _url(endpoint: OutboundEndpoint, resource: str) -> str:
    base = endpoint.url if endpoint.url.endswith("/") else endpoint.url + "/"
    return urllib.parse.urljoin(base, resource)


def _call(url: str, data: list[tuple[str, str]] | None = None) -> Answer:
    """POST form fields (or GET when `data` is None) through core.net and read the answer,
    never raising for an HTTP status. Raises Refused for a URL that may not be called
    (internal address, other scheme) and Unreachable when nothing answered."""
    try:
        answer = net.send(
            "POST" if data is not None else "GET",
            url,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={
                "Accept": "text/xml",
                "User-Agent": "Maengelmelder-Open311",
                **({"Content-Type": "application/x-www-form-urlencoded"} if data else {}),
            },
            timeout=(TIMEOUT_SECONDS, TIMEOUT_SECONDS),
            max_bytes=MAX_RESPONSE_BYTES,
        )
    except net.OutboundRefused as exc:
        raise Refused(str(exc)) from exc
    except net.OutboundUnreachable as exc:
        raise Unreachable(str(exc)) from exc
    return Answer(answer.status, answer.text, answer.size)


def _xml(body: str) -> ET.Element | None:
    try:
        # expat refuses external entities and, since 2.4, entity expansion bombs
        return ET.fromstring(body)  # noqa: S314
    except ET.ParseError:
        return None


def _first_text(root: ET.Element | None, path: str) -> str:
    if root is None:
        return ""
    element = root.find(path)
    return (element.text or "").strip() if element is not None else ""


def _error_text(body: str) -> str:
    root = _xml(body)
    if root is not None and root.tag == "errors":
        texts = [
            f"{_first_text(e, 'code')}: {_first_text(e, 'description')}"
            for e in root.findall("error")
        ]
        if texts:
            return "; ".join(texts)
    return body[:300]


def _resolve_token(endpoint: OutboundEndpoint, token: str) -> str:
    url = _url(endpoint, f"tokens/{urllib.parse.quote(token, safe='')}.xml")
    if endpoint.jurisdiction_id:
        url += "?" + urllib.parse.urlencode({"jurisdiction_id": endpoint.jurisdiction_id})
    try:
        answer = _call(url)
    except (Refused, Unreachable):
        return ""
    if answer.status != 200:
        return ""
    return _first_text(_xml(answer.body), "request/service_request_id")


# --- one attempt (the outbox handler) -----------------------------------------------------


def deliver(message: OutboxMessage) -> Iterable[int]:
    """Make one attempt to send the delivery of this outbox row. Raises RetryLater, GiveUp or
    Cancelled (see the module docstring); the outbox records the outcome."""
    delivery = (
        OutboundDelivery.objects.select_related("endpoint").filter(pk=message.target_id).first()
        if message.target_id is not None
        else None
    )
    if delivery is None:
        raise Cancelled("Übermittlung gelöscht.")
    if delivery.sent_at is not None:
        return ()  # sent before (a row queued twice by hand): never twice
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        raise Cancelled("Weiterleitung ist nicht mehr aktiv.")
    report = Report.objects.select_related("category").get(pk=delivery.report_id)
    try:
        answer = _call(_url(endpoint, "requests.xml"), request_fields(endpoint, report))
    except Refused as exc:
        raise GiveUp(str(exc)) from exc
    except Unreachable as exc:
        raise RetryLater(f"nicht erreichbar: {exc}") from exc
    message.response_status = answer.status
    message.response_size = answer.size
    message.response_excerpt = answer.body[:EXCERPT_CHARS]
    if 300 <= answer.status < 400:
        raise GiveUp(f"HTTP {answer.status}: Weiterleitungen werden nicht verfolgt.")
    if answer.status >= 500:
        raise RetryLater(f"HTTP {answer.status}: {_error_text(answer.body)}")
    if answer.status >= 400 or answer.status < 200:
        raise GiveUp(f"HTTP {answer.status}: {_error_text(answer.body)}")
    root = _xml(answer.body)
    remote_id = _first_text(root, "request/service_request_id")
    token = _first_text(root, "request/token")
    if not remote_id and not token:
        # Accepted, but we cannot tell what became of it: sending again could duplicate.
        raise GiveUp("Antwort ohne service_request_id und ohne token.")
    if not remote_id:
        remote_id = _resolve_token(endpoint, token)
    delivery.remote_id = remote_id[:200]
    delivery.remote_token = token[:200]
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["remote_id", "remote_token", "sent_at"])
    logger.info("report %s sent to %s as %s", report.pk, endpoint.url, remote_id or token)
    return ()
