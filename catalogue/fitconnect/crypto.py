"""FIT-Connect's cryptography with jwcrypto: everything for a destination is a JWE in compact
serialisation (alg RSA-OAEP-256, enc A256GCM) for the destination's public encryption key;
the event log holds security event tokens (RFC 8417) signed as JWS with PS512."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from jwcrypto import jwe, jwk, jws
from jwcrypto.common import JWException

from . import pki
from .client import Refused

KEY_ALG = "RSA-OAEP-256"
CONTENT_ENC = "A256GCM"
SET_ALG = "PS512"
SET_TYPE = "secevent+jwt"
EVENT_PREFIX = "https://schema.fitko.de/fit-connect/events/"


def encryption_key(data: dict[str, Any]) -> jwk.JWK:
    """The destination's public key, checked as FIT-Connect requires: RSA, meant for
    wrapping keys with RSA-OAEP-256, at least FITCONNECT_MIN_KEY_BITS bits, no private part."""
    if data.get("kty") != "RSA" or "d" in data:
        raise Refused("Der Schlüssel des Ziels ist kein öffentlicher RSA-Schlüssel.")
    if "wrapKey" not in data.get("key_ops", ["wrapKey"]) or data.get("alg", KEY_ALG) != KEY_ALG:
        raise Refused("Der Schlüssel des Ziels ist nicht zum Verschlüsseln bestimmt.")
    try:
        key = jwk.JWK(**data)
    except (JWException, ValueError, TypeError) as exc:
        raise Refused(f"Der Schlüssel des Ziels ist unlesbar: {exc}") from exc
    modulus = int.from_bytes(jwk.base64url_decode(data["n"]), "big")
    if modulus.bit_length() < settings.FITCONNECT_MIN_KEY_BITS:
        raise Refused(f"Der Schlüssel des Ziels ist zu kurz ({modulus.bit_length()} Bit).")
    pki.check_certificate(list(data.get("x5c") or []), modulus)
    return key


def encrypt(payload: bytes, key: jwk.JWK, *, content_type: str = "") -> str:
    header: dict[str, str] = {"alg": KEY_ALG, "enc": CONTENT_ENC}
    if key.get("kid"):
        header["kid"] = str(key.get("kid"))
    if content_type:
        header["cty"] = content_type
    token = jwe.JWE(payload, protected=json.dumps(header), recipient=key)
    return str(token.serialize(compact=True))


@dataclass(frozen=True)
class SecurityEvent:
    """One verified entry of a case's event log."""

    jti: str
    event: str  # the short name: "submit-submission", "accept-submission", …
    iat: int
    iss: str
    payload: dict[str, Any]


def unverified_header(token: str) -> dict[str, Any]:
    parsed = jws.JWS()
    try:
        parsed.deserialize(token)
    except JWException as exc:
        raise ValueError("kein JWS") from exc
    return dict(parsed.jose_header)


def verify_event(token: str, keys: jwk.JWKSet) -> SecurityEvent:
    """Check the signature against `keys` (the header's kid), the header and the claims a
    FIT-Connect SET must have; ValueError if anything is off."""
    header = unverified_header(token)
    if header.get("alg") != SET_ALG or header.get("typ") != SET_TYPE:
        raise ValueError(f"unerwarteter Kopf: {header}")
    key = keys.get_key(str(header.get("kid", "")))
    if key is None:
        raise ValueError(f"unbekannter Schlüssel {header.get('kid')}")
    parsed = jws.JWS()
    try:
        parsed.deserialize(token)
        parsed.verify(key, alg=SET_ALG)
    except JWException as exc:
        raise ValueError("Signatur ungültig") from exc
    claims = json.loads(parsed.payload)
    events = claims.get("events")
    if not isinstance(events, dict) or len(events) != 1:
        raise ValueError("kein einzelnes Ereignis")
    ((uri, detail),) = events.items()
    if not str(uri).startswith(EVENT_PREFIX):
        raise ValueError(f"unbekanntes Ereignis {uri}")
    for claim in ("jti", "iss", "iat", "sub", "txn"):
        if claim not in claims:
            raise ValueError(f"Angabe {claim} fehlt")
    return SecurityEvent(
        jti=str(claims["jti"]),
        event=str(uri)[len(EVENT_PREFIX) :],
        iat=int(claims["iat"]),
        iss=str(claims["iss"]),
        payload={"sub": claims["sub"], "txn": claims["txn"], "detail": detail or {}},
    )
