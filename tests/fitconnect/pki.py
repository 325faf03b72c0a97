"""A small Verwaltungs-PKI for the tests, made with `cryptography` when a test starts: a root
CA, an intermediate CA under it and leaf certificates for a destination's encryption key,
whose AIA points at an OCSP responder and whose CRL distribution point at a CRL, both served
by the loopback platform (tests/fitconnect/server.py). The PKI answers OCSP requests and
writes its CRL itself, signed by the intermediate, from the serials the test revoked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID


@cache
def _ca_key(name: str) -> rsa.RSAPrivateKey:
    """CA keys are slow to make: once per test session and purpose."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PKI-1-Verwaltung (Test)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca(
    name: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
) -> x509.Certificate:
    now = datetime.now(tz=UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(issuer.subject if issuer else _name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def der_b64(certificate: x509.Certificate) -> str:
    """Base64 DER, as in a JWK's x5c."""
    import base64

    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


@dataclass
class LoopbackPKI:
    """Root → intermediate → leaves. `revoked` holds the serials the CA has revoked."""

    root_name: str = "Test-Wurzel-CA"
    revoked: dict[int, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root_key = _ca_key(f"root:{self.root_name}")
        self.root = _ca(self.root_name, self.root_key, None, self.root_key)
        self.intermediate_key = _ca_key(f"intermediate:{self.root_name}")
        self.intermediate = _ca("Test-Zwischen-CA", self.intermediate_key, self.root, self.root_key)

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def leaf(
        self,
        public_key: rsa.RSAPublicKey,
        *,
        base_url: str,
        expired: bool = False,
        ocsp_path: str = "/pki/ocsp",
        crl_path: str = "/pki/crl",
    ) -> x509.Certificate:
        """A certificate for a destination's encryption key, issued by the intermediate, usable
        for key encipherment, pointing at the platform's OCSP responder and CRL."""
        now = datetime.now(tz=UTC)
        start, end = (
            (now - timedelta(days=400), now - timedelta(days=1))
            if expired
            else (now - timedelta(days=1), now + timedelta(days=365))
        )
        return (
            x509.CertificateBuilder()
            .subject_name(_name("Fachverfahren Test (Verschlüsselung)"))
            .issuer_name(self.intermediate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, True, False, False, False, False, False, False),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    self.intermediate_key.public_key()
                ),
                False,
            )
            .add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.OCSP,
                            x509.UniformResourceIdentifier(f"{base_url}{ocsp_path}"),
                        )
                    ]
                ),
                False,
            )
            .add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            [x509.UniformResourceIdentifier(f"{base_url}{crl_path}")],
                            None,
                            None,
                            None,
                        )
                    ]
                ),
                False,
            )
            .sign(self.intermediate_key, hashes.SHA256())
        )

    def ocsp_answer(self, request_der: bytes) -> bytes:
        """The responder: the intermediate itself signs the status of the asked serial."""
        request = ocsp.load_der_ocsp_request(request_der)
        now = datetime.now(tz=UTC)
        serial = request.serial_number
        revoked_at = self.revoked.get(serial)
        # The responder needs the certificate only for its serial and issuer hashes; a stub
        # with the asked serial is built from the request.
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=serial,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=now - timedelta(minutes=1),
            next_update=now + timedelta(hours=1),
            revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        )
        response = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.intermediate).sign(
            self.intermediate_key, hashes.SHA256()
        )
        return response.public_bytes(serialization.Encoding.DER)

    def crl(self) -> bytes:
        now = datetime.now(tz=UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.intermediate.subject)
            .last_update(now - timedelta(minutes=1))
            .next_update(now + timedelta(hours=1))
        )
        for serial, when in self.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
            )
        return builder.sign(self.intermediate_key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER
        )
