"""Verified identity from a SAML 2.0 identity provider: BundID / DeutschlandID.

djangosaml2 and pysaml2 do the protocol (AuthnRequest over HTTP-Redirect, signed with our key;
the Response over HTTP-POST, its signature checked against the IdP's metadata, encrypted
assertions decrypted with our key). This module builds pysaml2's configuration from the
settings (SAML off while SAML_IDP_METADATA is empty), adds what BundID expects in the request
(minimum STORK-QAA level, the akdb extension with the requested attributes and display
information) and reads the assurance level out of the answer.

Levels: BundID states the level as STORK-QAA-Level-1…4 (AuthnContextClassRef and the attribute
EID-CITIZEN-QAA-LEVEL); eIDAS IdPs as http://eidas.europa.eu/LoA/low|substantial|high. Both map
onto basic / substantial / high; SAML_VERIFIED_LEVEL (default substantial) is the lowest that
makes an account "verified" (catalogue.models.AssuranceRequirement).
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, extension_element_from_string
from saml2.config import PREFERRED_BINDING, SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.samlp import Extensions

from accounts.models import User

BASIC, SUBSTANTIAL, HIGH = "basic", "substantial", "high"
LEVEL_RANK = {BASIC: 1, SUBSTANTIAL: 2, HIGH: 3}
LEVEL_CLASS_REF = {
    BASIC: "STORK-QAA-Level-1",
    SUBSTANTIAL: "STORK-QAA-Level-3",
    HIGH: "STORK-QAA-Level-4",
}
_LEVEL_VALUES = {
    "stork-qaa-level-1": BASIC,
    "stork-qaa-level-2": BASIC,
    "stork-qaa-level-3": SUBSTANTIAL,
    "stork-qaa-level-4": HIGH,
    "http://eidas.europa.eu/loa/low": BASIC,
    "http://eidas.europa.eu/loa/substantial": SUBSTANTIAL,
    "http://eidas.europa.eu/loa/high": HIGH,
    "low": BASIC,
    "basic": BASIC,
    "substantial": SUBSTANTIAL,
    "high": HIGH,
}

# BundID's attributes (urn:oid names, "uri" name format) and pysaml2's friendly names for the
# standard ones; either may be the key in the parsed answer.
BPK2 = ("urn:oid:1.3.6.1.4.1.25484.494450.3", "bPK2")
GIVEN_NAME = ("urn:oid:2.5.4.42", "givenName")
FAMILY_NAME = ("urn:oid:2.5.4.4", "sn", "surname")
EMAIL = ("urn:oid:0.9.2342.19200300.100.1.3", "mail")
QAA_LEVEL = ("urn:oid:1.2.40.0.10.2.1.1.261.94", "EID-CITIZEN-QAA-LEVEL")
# (OID, required) as requested in the akdb extension of the AuthnRequest.
DEFAULT_REQUESTED_ATTRIBUTES = (
    (BPK2[0], True),
    (GIVEN_NAME[0], False),
    (FAMILY_NAME[0], False),
    (EMAIL[0], False),
    (QAA_LEVEL[0], False),
)
AKDB_NS = "https://www.akdb.de/request/2018/09"
CLASSIC_UI_NS = "https://www.akdb.de/request/2018/09/classic-ui/v1"


def level_of(value: str | None) -> str | None:
    """basic / substantial / high for a STORK-QAA or eIDAS level, None when unknown."""
    return _LEVEL_VALUES.get(str(value or "").strip().lower())


def asserted_level(session_info: dict[str, Any]) -> str:
    """The level the answer states. Where the authentication context and the level attribute
    both say something, the lower one counts; nothing known is basic."""
    found = [level_of(item[0]) for item in session_info.get("authn_info") or [] if item]
    found += [level_of(value) for value in attribute(session_info, QAA_LEVEL, many=True)]
    known = [level for level in found if level]
    return min(known, key=LEVEL_RANK.__getitem__) if known else BASIC


def account_level(level: str) -> str:
    """The account level (User.AssuranceLevel) a SAML level gives."""
    needed = level_of(settings.SAML_VERIFIED_LEVEL) or SUBSTANTIAL
    if LEVEL_RANK.get(level, 0) >= LEVEL_RANK[needed]:
        return User.AssuranceLevel.VERIFIED
    return User.AssuranceLevel.REGISTERED


def verified_level() -> str:
    return level_of(settings.SAML_VERIFIED_LEVEL) or SUBSTANTIAL


def attribute(session_info: dict[str, Any], names: tuple[str, ...], many: bool = False) -> Any:
    """The first (or all) values of an attribute in the answer, under any of its names."""
    ava = session_info.get("ava") or {}
    for name in names:
        values = [str(v).strip() for v in ava.get(name) or [] if str(v).strip()]
        if values:
            return values if many else values[0]
    return [] if many else ""


def is_configured() -> bool:
    return bool(settings.SAML_IDP_METADATA)


def _base_url(request: HttpRequest | None) -> str:
    if settings.SAML_SP_BASE_URL:
        return str(settings.SAML_SP_BASE_URL).rstrip("/")
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


def _metadata_source() -> dict[str, Any]:
    source = str(settings.SAML_IDP_METADATA)
    if source.startswith(("http://", "https://")):
        remote: dict[str, Any] = {"url": source}
        if settings.SAML_IDP_METADATA_CERT:
            remote["cert"] = settings.SAML_IDP_METADATA_CERT
        return {"remote": [remote]}
    return {"local": [source]}


def config_dict(base_url: str) -> dict[str, Any]:
    """pysaml2's SP configuration for our portal at `base_url`."""
    acs = base_url + reverse("catalogue:saml-acs")
    slo = base_url + reverse("catalogue:saml-ls")
    key, cert = settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE
    enc_key = settings.SAML_SP_ENCRYPTION_KEY_FILE or key
    enc_cert = settings.SAML_SP_ENCRYPTION_CERT_FILE or cert
    return {
        "entityid": settings.SAML_SP_ENTITY_ID or base_url + reverse("catalogue:saml-metadata"),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SAML_ACCEPTED_TIME_DIFF,
        "http_client_timeout": 10,
        "service": {
            "sp": {
                "name": settings.SITE_NAME,
                "endpoints": {
                    "assertion_consumer_service": [(acs, BINDING_HTTP_POST)],
                    # Single logout, front-channel only (djangosaml2 has no SOAP endpoint).
                    "single_logout_service": [
                        (slo, BINDING_HTTP_REDIRECT),
                        (slo, BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "signing_algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "digest_algorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
            }
        },
        "metadata": _metadata_source(),
        # The LogoutRequest goes through the browser (Redirect, else POST); SOAP only if the
        # IdP offers nothing else.
        "preferred_binding": {
            **PREFERRED_BINDING,
            "single_logout_service": [BINDING_HTTP_REDIRECT, BINDING_HTTP_POST],
        },
        "key_file": key,
        "cert_file": cert,
        "encryption_keypairs": [{"key_file": enc_key, "cert_file": enc_cert}],
    }


@dataclass
class _Cached:
    config: SPConfig
    until: float


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """djangosaml2's config loader (SAML_CONFIG_LOADER). The IdP's metadata is read once per
    SAML_IDP_METADATA_TTL seconds and process, not on every request."""
    data = config_dict(_base_url(request))
    key = repr(sorted((k, repr(v)) for k, v in data.items()))
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached.until < now:
            config = SPConfig()
            config.load(data)
            cached = _cache[key] = _Cached(config, now + settings.SAML_IDP_METADATA_TTL)
        return cached.config


def authn_request_kwargs(minimum: str) -> dict[str, Any]:
    """What BundID expects in the AuthnRequest: the minimum level and the akdb extension."""
    return {
        "requested_authn_context": {
            "authn_context_class_ref": [LEVEL_CLASS_REF[minimum]],
            "comparison": "minimum",
        },
        "extensions": _akdb_extension(),
    }


def _akdb_extension() -> Extensions:
    attributes = "".join(
        f"<akdb:RequestedAttribute Name={quoteattr(oid)} "
        f'RequiredAttribute="{"true" if required else "false"}"/>'
        for oid, required in requested_attributes()
    )
    display = ""
    if settings.SAML_ORGANIZATION_DISPLAY_NAME or settings.SAML_ONLINE_SERVICE_ID:
        display = (
            "<akdb:DisplayInformation>"
            f'<classic-ui:Version xmlns:classic-ui="{CLASSIC_UI_NS}">'
            "<classic-ui:OrganizationDisplayName>"
            f"{escape(settings.SAML_ORGANIZATION_DISPLAY_NAME or settings.SITE_NAME)}"
            "</classic-ui:OrganizationDisplayName>"
            f"<classic-ui:OnlineServiceId>{escape(settings.SAML_ONLINE_SERVICE_ID)}"
            "</classic-ui:OnlineServiceId>"
            "</classic-ui:Version></akdb:DisplayInformation>"
        )
    xml = (
        f'<akdb:AuthenticationRequest xmlns:akdb="{AKDB_NS}" Version="2">'
        f"<akdb:RequestedAttributes>{attributes}</akdb:RequestedAttributes>{display}"
        "</akdb:AuthenticationRequest>"
    )
    return Extensions(extension_elements=[extension_element_from_string(xml)])


def requested_attributes() -> list[tuple[str, bool]]:
    """SAML_REQUESTED_ATTRIBUTES ("oid" or "oid!" for required), else BundID's usual set."""
    configured = list(settings.SAML_REQUESTED_ATTRIBUTES or [])
    if not configured:
        return list(DEFAULT_REQUESTED_ATTRIBUTES)
    return [(item.rstrip("!"), item.endswith("!")) for item in configured]
