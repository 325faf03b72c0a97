"""Trust in a destination's encryption key through the Verwaltungs-PKI (docs/catalogue.md,
"Keys and certificates").

The key's `x5c` (leaf first, then the intermediates) must chain up, signature by signature, to
one of the configured trust anchors (FITCONNECT_TRUST_ANCHORS, a PEM bundle of the V-PKI root
certificates): every certificate within its validity, every issuer a CA, the leaf usable for
key encipherment and certifying this very key. Then the leaf's revocation status is asked:
OCSP at the responder its AIA names, else the CRL at its distribution point, over HTTP with a
timeout; a decisive answer is cached. FITCONNECT_REVOCATION_CHECK decides what happens when
no answer comes: `require` (wait and retry), `best-effort` (go on, logged) or `off`.

Chain building and signature checks are `cryptography.x509.verification`'s; OCSP requests and
answers are `cryptography.x509.ocsp`'s."""

from __future__ import annotations

import base64
import logging
import os
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from cryptography.x509.oid import SignatureAlgorithmOID as SigOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)
from django.conf import settings
from django.core.cache import cache

from .client import Refused, Unreachable

logger = logging.getLogger(__name__)

REQUIRE, BEST_EFFORT, OFF = "require", "best-effort", "off"
CLOCK_SKEW = timedelta(minutes=5)
GOOD, REVOKED = "good", "revoked"


# --- the chain -----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _anchors(path: str, mtime: float) -> tuple[x509.Certificate, ...]:
    with open(path, "rb") as stream:
        return tuple(x509.load_pem_x509_certificates(stream.read()))


def trust_anchors() -> list[x509.Certificate]:
    """The configured root certificates (read again when the file changes)."""
    path = settings.FITCONNECT_TRUST_ANCHORS
    if not path:
        raise Refused(
            "Keine Vertrauensanker eingerichtet (FITCONNECT_TRUST_ANCHORS): Der Schlüssel des "
            "Ziels lässt sich nicht bis zur Verwaltungs-PKI prüfen."
        )
    try:
        return list(_anchors(path, os.path.getmtime(path)))
    except (OSError, ValueError) as exc:
        raise Refused(f"Die Vertrauensanker ({path}) sind unlesbar: {exc}") from exc


def _must_be_ca(policy: object, certificate: x509.Certificate, ext: object) -> None:
    if not isinstance(ext, x509.BasicConstraints) or not ext.ca:
        raise ValueError("kein CA-Zertifikat (basicConstraints)")


def _decode(x5c: list[str]) -> list[x509.Certificate]:
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(entry)) for entry in x5c]
    except (ValueError, TypeError) as exc:
        raise Refused("Das Zertifikat des Ziels ist unlesbar.") from exc


def leaf_certificate(x5c: list[str], modulus: int) -> x509.Certificate:
    """The first certificate, which must be for this very key (same modulus)."""
    leaf = _decode(x5c[:1])[0]
    certified = leaf.public_key()
    if not isinstance(certified, rsa.RSAPublicKey) or certified.public_numbers().n != modulus:
        raise Refused("Der Schlüssel des Ziels passt nicht zu seinem Zertifikat.")
    return leaf


def verify_chain(x5c: list[str], modulus: int) -> list[x509.Certificate]:
    """The verified chain (leaf … root) of the key's certificate; Refused if it does not lead
    to a trust anchor, is out of its validity, has a non-CA issuer or a leaf not meant for
    encrypting keys."""
    leaf = leaf_certificate(x5c, modulus)
    ca_policy = ExtensionPolicy.permit_all().require_present(
        x509.BasicConstraints, Criticality.AGNOSTIC, _must_be_ca
    )
    verifier = (
        PolicyBuilder()
        .store(Store(trust_anchors()))
        .time(datetime.now(tz=UTC))
        .extension_policies(ca_policy=ca_policy, ee_policy=ExtensionPolicy.permit_all())
        .build_client_verifier()
    )
    try:
        chain = list(verifier.verify(leaf, _decode(x5c[1:])).chain)
    except VerificationError as exc:
        raise Refused(
            f"Das Zertifikat des Ziels ist nicht vertrauenswürdig (Verwaltungs-PKI): {exc}"
        ) from exc
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.key_encipherment:
        raise Refused("Das Zertifikat des Ziels erlaubt keine Schlüsselverschlüsselung.")
    return chain


# --- revocation ----------------------------------------------------------------------------


def _urls(certificate: x509.Certificate) -> tuple[list[str], list[str]]:
    """OCSP responders (AIA) and CRL distribution points, http(s) only."""
    ocsp_urls: list[str] = []
    crl_urls: list[str] = []
    try:
        aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
        ocsp_urls = [
            str(d.access_location.value)
            for d in aia.value
            if d.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
        crl_urls = [
            str(name.value)
            for point in points.value
            for name in point.full_name or []
            if isinstance(name, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    web = ("http://", "https://")
    return [u for u in ocsp_urls if u.startswith(web)], [u for u in crl_urls if u.startswith(web)]


def _signature_ok(
    key: object, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm | None, oid: object
) -> bool:
    if algorithm is None:
        return False
    try:
        if isinstance(key, rsa.RSAPublicKey):
            pad: padding.AsymmetricPadding = (
                padding.PSS(mgf=padding.MGF1(algorithm), salt_length=padding.PSS.AUTO)
                if oid == SigOID.RSASSA_PSS
                else padding.PKCS1v15()
            )
            key.verify(signature, data, pad, algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _responders(answer: ocsp.OCSPResponse, issuer: x509.Certificate) -> list[x509.Certificate]:
    """Who may sign the answer: the issuer itself, or a responder the issuer delegated to
    (issued by it, extended key usage OCSPSigning, within its validity)."""
    now = datetime.now(tz=UTC)
    delegated = []
    for candidate in answer.certificates:
        try:
            candidate.verify_directly_issued_by(issuer)
            usage = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        valid = candidate.not_valid_before_utc <= now <= candidate.not_valid_after_utc
        if ExtendedKeyUsageOID.OCSP_SIGNING in usage and valid:
            delegated.append(candidate)
    return [issuer, *delegated]


def _ocsp(url: str, leaf: x509.Certificate, issuer: x509.Certificate) -> str | None:
    """GOOD or REVOKED from the responder; None when it gave no usable answer."""
    # SHA-1 only names the certificate in the request (CertID); responders of the lightweight
    # profile (RFC 5019) answer nothing else. No signature depends on it.
    certid_hash = hashes.SHA1()  # noqa: S303
    request = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, certid_hash).build()
    try:
        response = requests.post(
            url,
            data=request.public_bytes(serialization.Encoding.DER),
            headers={"Content-Type": "application/ocsp-request"},
            timeout=settings.FITCONNECT_REVOCATION_TIMEOUT,
        )
        answer = ocsp.load_der_ocsp_response(response.content)
    except (requests.RequestException, ValueError) as exc:
        logger.warning("fitconnect: OCSP %s: %s", url, exc)
        return None
    if answer.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        logger.warning("fitconnect: OCSP %s: %s", url, answer.response_status)
        return None
    signed = any(
        _signature_ok(
            responder.public_key(),
            answer.signature,
            answer.tbs_response_bytes,
            answer.signature_hash_algorithm,
            answer.signature_algorithm_oid,
        )
        for responder in _responders(answer, issuer)
    )
    now = datetime.now(tz=UTC)
    fresh = answer.this_update_utc <= now + CLOCK_SKEW and (
        answer.next_update_utc is None or answer.next_update_utc >= now - CLOCK_SKEW
    )
    if not signed or not fresh or answer.serial_number != leaf.serial_number:
        logger.warning("fitconnect: OCSP %s: answer not signed, stale or for another", url)
        return None
    if answer.certificate_status == ocsp.OCSPCertStatus.REVOKED:
        return REVOKED
    if answer.certificate_status == ocsp.OCSPCertStatus.GOOD:
        return GOOD
    return None  # UNKNOWN: ask the CRL


def _crl(url: str, leaf: x509.Certificate, issuer: x509.Certificate) -> str | None:
    try:
        response = requests.get(url, timeout=settings.FITCONNECT_REVOCATION_TIMEOUT)
        response.raise_for_status()
        body = response.content
        crl = (
            x509.load_pem_x509_crl(body)
            if body.lstrip().startswith(b"-----")
            else x509.load_der_x509_crl(body)
        )
    except (requests.RequestException, ValueError) as exc:
        logger.warning("fitconnect: CRL %s: %s", url, exc)
        return None
    now = datetime.now(tz=UTC)
    if (
        crl.issuer != issuer.subject
        or not crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
        or (crl.next_update_utc is not None and crl.next_update_utc < now - CLOCK_SKEW)
    ):
        logger.warning("fitconnect: CRL %s: not the issuer's, not signed or out of date", url)
        return None
    return REVOKED if crl.get_revoked_certificate_by_serial_number(leaf.serial_number) else GOOD


def revocation_status(leaf: x509.Certificate, issuer: x509.Certificate) -> str | None:
    """GOOD or REVOKED, from the cache, OCSP or the CRL; None when nobody answered."""
    key = f"fitconnect:revocation:{issuer.fingerprint(hashes.SHA256()).hex()}:{leaf.serial_number}"
    cached = cache.get(key)
    if cached in (GOOD, REVOKED):
        return str(cached)
    ocsp_urls, crl_urls = _urls(leaf)
    status = None
    for url in ocsp_urls:
        status = _ocsp(url, leaf, issuer)
        if status:
            break
    for url in crl_urls if status is None else []:
        status = _crl(url, leaf, issuer)
        if status:
            break
    if status is not None:
        cache.set(key, status, settings.FITCONNECT_REVOCATION_CACHE_SECONDS)
    return status


def check_revocation(chain: list[x509.Certificate]) -> None:
    """The leaf's revocation status under FITCONNECT_REVOCATION_CHECK."""
    policy = settings.FITCONNECT_REVOCATION_CHECK
    if policy == OFF or len(chain) < 2:
        return
    leaf, issuer = chain[0], chain[1]
    ocsp_urls, crl_urls = _urls(leaf)
    if not ocsp_urls and not crl_urls and policy == REQUIRE:
        raise Refused("Das Zertifikat des Ziels nennt weder OCSP-Dienst noch Sperrliste.")
    status = revocation_status(leaf, issuer)
    if status == REVOKED:
        raise Refused(
            f"Das Zertifikat des Ziels ist gesperrt (Seriennummer {leaf.serial_number:x})."
        )
    if status is None and policy == REQUIRE:
        # A responder that is down now may answer later: retried with backoff.
        raise Unreachable(
            "Der Sperrstatus des Zertifikats des Ziels ließ sich nicht prüfen (OCSP und "
            "Sperrliste antworten nicht)."
        )
    if status is None:
        logger.warning(
            "fitconnect: revocation of %s unknown, used anyway (best-effort)", leaf.subject
        )


def check_certificate(x5c: list[str], modulus: int) -> None:
    """Everything the portal requires of the key's certificate before encrypting for it."""
    if settings.FITCONNECT_ALLOW_UNTRUSTED_KEYS:
        # FITKO's test environment: self-made certificates, no V-PKI (docs/catalogue.md).
        if x5c:
            leaf_certificate(x5c, modulus)
        return
    if not x5c:
        raise Refused("Der Schlüssel des Ziels trägt kein Zertifikat (x5c).")
    check_revocation(verify_chain(x5c, modulus))
