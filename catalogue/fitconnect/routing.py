"""A Routing API answer is used only when its signatures verify (docs/catalogue.md, "Keys and
certificates"), so nobody between the Portalverbund and us can point an application at a
destination of their own:

* `destinationSignature`: the addressing information the office copied from FIT-Connect's
  self-service portal into its editorial system, a JWT signed (PS512) by the self-service
  portal; its keys are the portal's JWKS (FITCONNECT_DESTINATION_SIGNATURE_JWKS). Its
  `destinationId` must be the route's, its `submissionHost` the Submission API we send to,
  and its services must include the LeiKa key and cover the area (ARS) we asked for;
* `destinationParametersSignature`: a detached JWS (compact, empty payload) over the route's
  `destinationParameters`, signed by the routing service (FITCONNECT_ROUTING_JWKS).

Key sets are cached for an hour; a key ID not in the cached set fetches it again once (key
rollover)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from .client import Client, Refused

SIGNATURE_ALG = "PS512"
JWKS_CACHE_SECONDS = 3600
LEIKA_URN = "urn:de:fim:leika:leistung:"
ARS_URN = "urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:"


def _key(client: Client, url: str, kid: str) -> jwk.JWK | None:
    """The key `kid` of the key set at `url` (cached; fetched again for an unknown kid)."""
    cache_key = f"fitconnect:jwks:{url}"
    published = cache.get(cache_key)
    for fetch in (published is None, True):
        if fetch:
            published = client.public_keys(url)
            cache.set(cache_key, published, JWKS_CACHE_SECONDS)
        try:
            key = jwk.JWKSet.from_json(json.dumps(published)).get_key(kid)
        except (JWException, ValueError, TypeError):
            key = None
        if key is not None or fetch:
            return key
    return None


def _verified(
    client: Client, token: object, url: str, what: str, detached: bytes | None = None
) -> bytes:
    """The verified payload of a compact JWS; Refused with `what` named if anything is off."""
    if not isinstance(token, str) or not token:
        raise Refused(f"Die Routing-API liefert keine Signatur der {what}.")
    parsed = jws.JWS()
    try:
        parsed.deserialize(token)
        header = dict(parsed.jose_header)
    except (JWException, ValueError) as exc:
        raise Refused(f"Die Signatur der {what} ist unlesbar.") from exc
    if header.get("alg") != SIGNATURE_ALG:
        raise Refused(f"Die Signatur der {what} hat den Algorithmus {header.get('alg')}.")
    key = _key(client, url, str(header.get("kid", "")))
    if key is None:
        raise Refused(f"Die {what} sind mit einem unbekannten Schlüssel signiert.")
    try:
        parsed.verify(key, alg=SIGNATURE_ALG, detached_payload=detached)
    except JWException as exc:
        raise Refused(f"Die Signatur der {what} ist ungültig.") from exc
    return bytes(parsed.payload) if detached is None else detached


def _covers(services: object, leika: str, ars: str) -> bool:
    """One of the signed services names the LeiKa key and an area containing the ARS (a
    Kreis's key covers its Gemeinden: the ARS begins with it)."""
    for service in services if isinstance(services, list) else []:
        if not isinstance(service, dict):
            continue
        leistungen = [str(x) for x in service.get("leistungIDs", [])]
        gebiete = [str(x).removeprefix(ARS_URN) for x in service.get("gebietIDs", [])]
        if f"{LEIKA_URN}{leika}" in leistungen and any(g and ars.startswith(g) for g in gebiete):
            return True
    return False


def canonical(parameters: dict[str, Any]) -> bytes:
    """The bytes destinationParametersSignature signs: the JSON with sorted keys and no
    whitespace (docs/catalogue.md, assumptions)."""
    return json.dumps(
        parameters, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def verified_destination(client: Client, route: dict[str, Any], *, leika: str, ars: str) -> str:
    """The route's destination ID once both signatures verify and the signed addressing
    information matches the route, our Submission API and the asked service and area."""
    destination_id = str(route.get("destinationId", ""))
    what = "Adressierungsinformationen (destinationSignature)"
    payload = _verified(
        client,
        route.get("destinationSignature"),
        settings.FITCONNECT_DESTINATION_SIGNATURE_JWKS,
        what,
    )
    try:
        claims = json.loads(payload)
    except ValueError as exc:
        raise Refused(f"Die {what} sind kein JSON.") from exc
    if not isinstance(claims, dict) or claims.get("destinationId") != destination_id:
        raise Refused(f"Die {what} gelten für ein anderes Ziel als {destination_id}.")
    ours = urlsplit(client.config.submission_api)
    if claims.get("submissionHost") not in (ours.netloc, ours.hostname):
        raise Refused(
            f"Die {what} nennen den Zustelldienst {claims.get('submissionHost')}, "
            f"nicht {ours.netloc}."
        )
    if not _covers(claims.get("services"), leika, ars):
        raise Refused(f"Die {what} decken LeiKa {leika} im Gebiet {ars} nicht ab.")
    parameters = route.get("destinationParameters")
    if not isinstance(parameters, dict):
        raise Refused("Die Routing-API liefert keine Parameter des Ziels.")
    _verified(
        client,
        route.get("destinationParametersSignature"),
        settings.FITCONNECT_ROUTING_JWKS,
        "Parameter des Ziels (destinationParametersSignature)",
        detached=canonical(parameters),
    )
    return destination_id
