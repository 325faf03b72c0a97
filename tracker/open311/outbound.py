"""Forwarding an authority's new reports to its own Open311 system (OutboundEndpoint).

When a report is routed to such an authority (its "created" history entry) or forwarded to it
(a "forwarded" entry), `queue_delivery` records one OutboundDelivery per endpoint and report
and queues tasks.deliver_report on commit. `deliver` makes one attempt: it POSTs requests.xml
form-encoded as FixMyStreet's Open311 sender does (service_code, lat/long, description,
address_string, contact data, media_url, attribute[CODE]), reads the service_request_id (or
the token, then asks tokens/{token}.xml) and logs the answer.

Never twice: the delivery row is unique per endpoint and report, it is locked while sending,
and a sent (or given up) delivery is never sent again. Connection errors, timeouts and 5xx
answers are retried with exponential backoff up to MAX_ATTEMPTS; a 4xx answer (or an answer
we cannot read) is logged and given up — sending the same request again would fail again.
A lost answer (the connection broke after the request was sent) cannot be told apart from a
request that never arrived; it is retried, as FixMyStreet does.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from notifications.queue import enqueue_on_commit
from tracker.models import Report, ReportEvent

from .models import OutboundDelivery, OutboundEndpoint, RequestAttributes

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
TIMEOUT_SECONDS = 30  # for connecting, and for each read of the answer
MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 2000


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 1, 2, 4, 8 … minutes, at most 6 hours."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


# --- queueing (called from the ReportEvent signal, see signals.py) ---------------------------


_ENDPOINTS_CACHE_KEY = "open311:outbound-authorities"


def authorities_with_endpoints() -> frozenset[int]:
    """Authorities with an active outbound endpoint. Asked on every intake, and almost always
    empty, so it is cached (cleared whenever an endpoint is saved or deleted)."""
    cached = cache.get(_ENDPOINTS_CACHE_KEY)
    if cached is None:
        cached = frozenset(
            OutboundEndpoint.objects.filter(is_active=True).values_list("authority_id", flat=True)
        )
        cache.set(_ENDPOINTS_CACHE_KEY, cached, timeout=300)
    return frozenset(cached)


def forget_endpoints(**kwargs: Any) -> None:
    """Signal receiver: an endpoint changed."""
    cache.delete(_ENDPOINTS_CACHE_KEY)


def endpoint_for_event(event: ReportEvent) -> OutboundEndpoint | None:
    """The active endpoint of the authority a report just reached: routed to at intake, or
    forwarded to."""
    if not authorities_with_endpoints():
        return None
    authority_id: int | None
    if event.kind == ReportEvent.Kind.CREATED:
        authority_id = event.authority_id or Report.objects.values_list(
            "authority_id", flat=True
        ).get(pk=event.report_id)
    elif event.kind == ReportEvent.Kind.FORWARDED:
        authority_id = event.to_authority_id
    else:
        return None
    if authority_id is None:
        return None
    return OutboundEndpoint.objects.filter(authority_id=authority_id, is_active=True).first()


def queue_delivery(endpoint: OutboundEndpoint, report_id: int) -> OutboundDelivery | None:
    """Record the delivery and queue its task on commit; None when this report was already
    handed to this endpoint (forwarded away and back again)."""
    from . import tasks  # tasks imports this module

    delivery, created = OutboundDelivery.objects.get_or_create(
        endpoint=endpoint, report_id=report_id
    )
    if not created:
        return None
    enqueue_on_commit(tasks.deliver_report, delivery.pk)
    return delivery


def resend(delivery: OutboundDelivery) -> bool:
    """Admin: send a given-up delivery again (after the endpoint was fixed), or push one whose
    retry got lost (e.g. Redis was down). A sent delivery is never sent again."""
    from . import tasks  # tasks imports this module

    with transaction.atomic():
        pending = OutboundDelivery.objects.filter(pk=delivery.pk).exclude(
            status=OutboundDelivery.Status.SENT
        )
        if not pending.exists():
            return False
        pending.filter(status=OutboundDelivery.Status.FAILED).update(
            status=OutboundDelivery.Status.PENDING, attempts=0, next_attempt_at=None
        )
        # Not through the notifications outbox: it stores a task with the same arguments once,
        # and this one was stored when the report arrived.
        transaction.on_commit(lambda: _publish(tasks.deliver_report, delivery.pk))
    return True


def _publish(task: Any, delivery_id: int) -> None:
    try:
        task.apply_async(args=(delivery_id,), retry=False)
    except Exception:  # broker unreachable: the admin sees the delivery still pending
        logger.exception("could not queue delivery %s", delivery_id)


# --- the request --------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = name.strip().partition(" ")
    return first, last.strip()


def _photo_url(report: Report) -> str:
    """The released photo if there is one, else the first one (the receiving authority sees
    all photos of its reports anyway); file names are random, so the URL is not guessable."""
    photos = list(report.photos.order_by("-is_public", "created_at", "id")[:1])
    if not photos:
        return ""
    url = photos[0].image.url
    return url if url.startswith(("http://", "https://")) else f"{settings.PORTAL_URL}{url}"


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


class Unreachable(Exception):
    """No HTTP answer: connection refused or broken, DNS, timeout."""


def _url(endpoint: OutboundEndpoint, resource: str) -> str:
    base = endpoint.url if endpoint.url.endswith("/") else endpoint.url + "/"
    return urllib.parse.urljoin(base, resource)


def _call(url: str, data: list[tuple[str, str]] | None = None) -> Answer:
    """POST form fields (or GET when `data` is None) and read the answer, never raising for
    an HTTP status."""
    if not url.startswith(("http://", "https://")):
        raise Unreachable(f"not an http(s) URL: {url}")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        headers={"Accept": "text/xml", "User-Agent": "Maengelmelder-Open311"},
        method="POST" if data is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read(MAX_RESPONSE_BYTES)
            return Answer(response.status, raw.decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        raw = exc.read(MAX_RESPONSE_BYTES) if exc.fp is not None else b""
        return Answer(exc.code, raw.decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:  # refused, reset, DNS, timeout
        raise Unreachable(str(getattr(exc, "reason", exc))) from exc


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
    except Unreachable:
        return ""
    if answer.status != 200:
        return ""
    return _first_text(_xml(answer.body), "request/service_request_id")


# --- one attempt --------------------------------------------------------------------------


def deliver(delivery_id: int) -> timedelta | None:
    """Make one attempt to send the delivery. Returns how long to wait before the next one,
    or None when there is nothing more to do (sent, given up, or another worker has it)."""
    with transaction.atomic():
        delivery = (
            OutboundDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (
            OutboundDelivery.Status.SENT,
            OutboundDelivery.Status.FAILED,
        ):
            return None
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            _give_up(delivery, "Weiterleitung ist nicht mehr aktiv.")
            return None
        report = Report.objects.select_related("category").get(pk=delivery.report_id)
        delivery.attempts += 1
        try:
            answer = _call(_url(endpoint, "requests.xml"), request_fields(endpoint, report))
        except Unreachable as exc:
            return _retry_later(delivery, f"nicht erreichbar: {exc}")
        delivery.response_status = answer.status
        delivery.response_excerpt = answer.body[:EXCERPT_CHARS]
        if answer.status >= 500:
            return _retry_later(delivery, f"HTTP {answer.status}: {_error_text(answer.body)}")
        if answer.status >= 400 or answer.status < 200:
            _give_up(delivery, f"HTTP {answer.status}: {_error_text(answer.body)}")
            return None
        root = _xml(answer.body)
        remote_id = _first_text(root, "request/service_request_id")
        token = _first_text(root, "request/token")
        if not remote_id and not token:
            # Accepted, but we cannot tell what became of it: sending again could duplicate.
            _give_up(delivery, "Antwort ohne service_request_id und ohne token.")
            return None
        if not remote_id:
            remote_id = _resolve_token(endpoint, token)
        delivery.remote_id = remote_id[:200]
        delivery.remote_token = token[:200]
        delivery.status = OutboundDelivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
        delivery.save()
        logger.info("report %s sent to %s as %s", report.pk, endpoint.url, remote_id or token)
        return None


def _retry_later(delivery: OutboundDelivery, error: str) -> timedelta | None:
    if delivery.attempts >= MAX_ATTEMPTS:
        _give_up(delivery, f"{error} (nach {delivery.attempts} Versuchen aufgegeben)")
        return None
    wait = backoff(delivery.attempts)
    delivery.status = OutboundDelivery.Status.RETRYING
    delivery.last_error = error[:2000]
    delivery.next_attempt_at = timezone.now() + wait
    delivery.save()
    logger.warning(
        "report %s to %s: %s; retry in %s", delivery.report_id, delivery.endpoint_id, error, wait
    )
    return wait


def _give_up(delivery: OutboundDelivery, error: str) -> None:
    delivery.status = OutboundDelivery.Status.FAILED
    delivery.last_error = error[:2000]
    delivery.next_attempt_at = None
    delivery.save()
    logger.error(
        "report %s to endpoint %s given up: %s", delivery.report_id, delivery.endpoint_id, error
    )
