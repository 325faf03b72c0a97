"""A client for FITKO's XBezahldienste REST interface and the payment provider built on it.

The interface (v1.0.0) as used here:

* ``POST {base}/paymenttransaction/{originatorId}/{endPointId}`` with a PaymentRequest
  (requestId, requestTimestamp, currency, grosAmount, purpose ≤ 27 characters, description,
  redirectUrl, items) creates a PaymentTransaction; the answer's ``paymentInformation`` holds
  the platform's transactionId, the transactionReference (our Kassenzeichen), the
  transactionUrl of the pay page and the status (INITIAL).
* ``GET {base}/paymenttransaction/{originatorId}/{endPointId}/{transactionId}`` reads it back:
  INITIAL (not paid yet), PAYED, FAILED (refused by the platform), CANCELED (by the citizen).

The citizen chooses card, PayPal or giropay on the platform's page; after it, the platform
sends the browser to redirectUrl and we read the status (the redirect itself proves nothing).
Every call goes through core.net (no redirects, timeouts, no internal addresses unless
allow-listed). Where the public spec left a detail open, docs/catalogue.md says what we assumed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from boundaries.models import Authority
from core import net

from .models import Payment, XBezahlAccount
from .payments import PaymentStart

PURPOSE_MAX = 27
DESCRIPTION_MAX = 250
STATUSES = ("INITIAL", "PAYED", "FAILED", "CANCELED")


class XBezahlError(Exception):
    """The platform could not be used; `str()` is a German message for the citizen."""


class XBezahlUnavailable(XBezahlError):
    """No (usable) answer in time: network, timeout, 5xx. Try again later; nothing is lost."""


class XBezahlRefused(XBezahlError):
    """The platform refused the request (4xx) or answered nonsense: a configuration problem."""


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom an authority's payments are made."""

    base_url: str
    originator_id: str
    endpoint_id: str
    auth: str = XBezahlAccount.Auth.NONE
    username: str = ""
    secret: str = ""
    token_url: str = ""

    def url(self, *parts: str) -> str:
        path = "/".join(quote(part, safe="") for part in parts)
        return f"{self.base_url.rstrip('/')}/{path}"


@dataclass(frozen=True)
class TransactionInfo:
    transaction_id: str
    reference: str
    pay_url: str
    status: str
    status_detail: str
    payment_method: str


def endpoint_for(authority: Authority) -> Endpoint | None:
    """The authority's own account (admin), else the installation's (settings, with the
    authority's AGS as endpoint ID unless one is set), else None: fees are invoiced."""
    account = XBezahlAccount.objects.filter(authority=authority).first()
    if account is not None:
        if not account.is_active:
            return None
        return Endpoint(
            base_url=account.base_url,
            originator_id=account.originator_id,
            endpoint_id=account.endpoint_id,
            auth=account.auth,
            username=account.username,
            secret=account.secret,
            token_url=account.token_url,
        )
    base_url = str(getattr(settings, "XBEZAHL_BASE_URL", ""))
    originator_id = str(getattr(settings, "XBEZAHL_ORIGINATOR_ID", ""))
    endpoint_id = str(getattr(settings, "XBEZAHL_ENDPOINT_ID", "")) or authority.ags
    if not (base_url and originator_id and endpoint_id):
        return None
    return Endpoint(
        base_url=base_url,
        originator_id=originator_id,
        endpoint_id=endpoint_id,
        auth=str(getattr(settings, "XBEZAHL_AUTH", XBezahlAccount.Auth.NONE)),
        username=str(getattr(settings, "XBEZAHL_USERNAME", "")),
        secret=str(getattr(settings, "XBEZAHL_SECRET", "")),
        token_url=str(getattr(settings, "XBEZAHL_TOKEN_URL", "")),
    )


# --- the request ---------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def purpose_text(reference: str, service_name: str) -> str:
    """The Verwendungszweck: at most 27 characters of ASCII letters, digits, spaces and "-"
    (the spec's pattern; bank statements know no umlauts), the application's reference
    first so the cash office can always match the booking."""
    text = unicodedata.normalize("NFKD", f"{reference} {service_name}".translate(_TRANSLITERATION))
    text = re.sub(r"[^A-Za-z0-9 _-]", "", text.encode("ascii", "ignore").decode())
    return " ".join(text.split())[:PURPOSE_MAX].strip()


def description_text(text: str) -> str:
    """Letters (also German ones), digits, spaces, "-", "," and "." only, at most 250."""
    cleaned = re.sub(r"[^\w\s,.\u00C0-\u017F-]", " ", text)
    return " ".join(cleaned.split())[:DESCRIPTION_MAX]


def _amount(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def payment_request(payment: Payment, *, request_id: str, redirect_url: str) -> dict[str, Any]:
    """The PaymentRequest for one fee: one item, no VAT (administrative fees carry none)."""
    application = payment.application
    amount = _amount(payment.amount)
    now = dt.datetime.now(tz=dt.UTC)
    return {
        "requestId": request_id,
        "requestTimestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "currency": "EUR",
        "grosAmount": amount,
        "purpose": purpose_text(application.reference, application.service.name),
        "description": description_text(
            f"{payment.label}, Antrag {application.reference}, {application.authority.name}"
        ),
        "redirectUrl": redirect_url,
        "items": [
            {
                "id": "1",
                "reference": re.sub(r"[^\w-]", "", application.reference)[:36],
                "description": description_text(payment.label),
                "quantity": 1,
                "taxRate": 0,
                "singleNetAmount": amount,
                "singleTaxAmount": 0,
                "totalNetAmount": amount,
                "totalTaxAmount": 0,
            }
        ],
    }


# --- the calls -----------------------------------------------------------------------------


def _timeout() -> tuple[float, float]:
    connect, read = getattr(settings, "XBEZAHL_TIMEOUT", (5.0, 20.0))
    return float(connect), float(read)


def _oauth_token(endpoint: Endpoint) -> str:
    """A client-credentials access token, kept in the cache until shortly before it ends."""
    key = (
        "xbezahl-token:"
        + hashlib.sha256(f"{endpoint.token_url}|{endpoint.username}".encode()).hexdigest()
    )
    token = cache.get(key)
    if token:
        return str(token)
    answer = _send(
        "POST",
        endpoint.token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": _basic(endpoint), "Accept": "application/json"},
    )
    body = _json(answer)
    token = body.get("access_token")
    if answer.status != 200 or not isinstance(token, str):
        raise XBezahlRefused(_("Die Anmeldung beim Bezahldienst ist fehlgeschlagen."))
    lifetime = int(body.get("expires_in") or 300)
    cache.set(key, token, max(lifetime - 30, 1))
    return token


def _basic(endpoint: Endpoint) -> str:
    pair = f"{endpoint.username}:{endpoint.secret}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def _headers(endpoint: Endpoint) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if endpoint.auth == XBezahlAccount.Auth.BASIC:
        headers["Authorization"] = _basic(endpoint)
    elif endpoint.auth == XBezahlAccount.Auth.OAUTH2:
        headers["Authorization"] = "Bearer " + _oauth_token(endpoint)
    return headers


def _send(method: str, url: str, **kwargs: Any) -> net.OutboundAnswer:
    try:
        answer = net.send(method, url, timeout=_timeout(), **kwargs)
    except net.OutboundRefused as exc:
        raise XBezahlRefused(str(exc)) from exc
    except net.OutboundUnreachable as exc:
        raise XBezahlUnavailable(
            _("Der Bezahldienst antwortet gerade nicht. Bitte versuchen Sie es später erneut.")
        ) from exc
    if answer.status >= 500 or answer.status == 429:
        raise XBezahlUnavailable(
            _("Der Bezahldienst ist gerade gestört. Bitte versuchen Sie es später erneut.")
        )
    return answer


def _json(answer: net.OutboundAnswer) -> dict[str, Any]:
    try:
        body = json.loads(answer.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise XBezahlRefused(_("Der Bezahldienst hat unverständlich geantwortet."))
    return body


def _problem(answer: net.OutboundAnswer) -> XBezahlRefused:
    """A 4xx answer (application/problem+json with a reason code) as an error."""
    try:
        body = json.loads(answer.body)
    except ValueError:
        body = {}
    reason = body.get("reason", "") if isinstance(body, dict) else ""
    return XBezahlRefused(
        _("Der Bezahldienst hat die Zahlung abgelehnt (%(code)s %(reason)s).")
        % {"code": answer.status, "reason": str(reason)[:100]}
    )


def _transaction(answer: net.OutboundAnswer) -> TransactionInfo:
    if answer.status not in (200, 201):
        raise _problem(answer)
    info = _json(answer).get("paymentInformation")
    if not isinstance(info, dict) or not info.get("transactionId"):
        raise XBezahlRefused(_("Der Bezahldienst hat unverständlich geantwortet."))
    status = str(info.get("status") or "INITIAL")
    if status not in STATUSES:
        raise XBezahlRefused(_("Der Bezahldienst hat unverständlich geantwortet."))
    return TransactionInfo(
        transaction_id=str(info["transactionId"])[:100],
        reference=str(info.get("transactionReference") or "")[:100],
        pay_url=str(info.get("transactionUrl") or "")[:2082],
        status=status,
        status_detail=str(info.get("statusDetail") or "")[:500],
        payment_method=str(info.get("paymentMethod") or "")[:30],
    )


def create_transaction(endpoint: Endpoint, request: dict[str, Any]) -> TransactionInfo:
    answer = _send(
        "POST",
        endpoint.url("paymenttransaction", endpoint.originator_id, endpoint.endpoint_id),
        data=json.dumps(request).encode(),
        headers={**_headers(endpoint), "Content-Type": "application/json"},
    )
    info = _transaction(answer)
    try:
        net.check_url(info.pay_url)
    except net.OutboundRefused as exc:
        raise XBezahlRefused(_("Der Bezahldienst hat keine Bezahlseite genannt.")) from exc
    return info


def read_transaction(endpoint: Endpoint, transaction_id: str) -> TransactionInfo:
    answer = _send(
        "GET",
        endpoint.url(
            "paymenttransaction", endpoint.originator_id, endpoint.endpoint_id, transaction_id
        ),
        headers=_headers(endpoint),
    )
    return _transaction(answer)


# --- the provider --------------------------------------------------------------------------


class XBezahlProvider:
    """Online payment (card, PayPal, giropay — chosen on the platform's page) for authorities
    with an XBezahldienste account; the others fall through to the next provider."""

    key = "xbezahl"
    label = _("Online-Bezahlung (Kreditkarte, PayPal, giropay)")

    def available_for(self, authority: Authority) -> bool:
        return endpoint_for(authority) is not None

    def prepare(self, payment: Payment) -> None:
        # Nothing to call inside the submit transaction: the transaction at the platform is
        # created when the citizen presses "pay" (catalogue.epayment.payment_start_online).
        return None

    def start(self, payment: Payment) -> PaymentStart:
        return PaymentStart(
            redirect_url=None,
            message=_(
                "Bitte bezahlen Sie die Gebühr jetzt online; danach wird Ihr Antrag bearbeitet."
            ),
        )
