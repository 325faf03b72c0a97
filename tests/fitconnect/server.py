"""A FIT-Connect platform for the tests, on loopback: the endpoints of the public Submission
API (v1 and v2), the Routing API and the OAuth2 token endpoint that the portal uses, speaking HTTP
in its own thread. It holds the destination's private keys, so it DECRYPTS what the portal
sends (metadata, form data, attachments) for the tests to read, refuses what the real
platform would refuse (unknown destination, unannounced attachment, missing upload, wrong
algorithm), writes the event log as signed security event tokens (the platform's own events
with the platform's key, the office's accept/reject with the destination's signing key) and
can be told to fail (503) or refuse (422).

It is also the Verwaltungs-PKI (tests/fitconnect/pki.py: the encryption key's certificate
chain, an OCSP responder and a CRL) and signs its routes as the self-service portal
(destinationSignature) and the routing service (destinationParametersSignature) would."""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jwcrypto import jwe, jwk, jws

from catalogue.fitconnect.routing import canonical

from .pki import LoopbackPKI, der_b64

EVENTS = "https://schema.fitko.de/fit-connect/events/"
PLATFORM_ISSUER = "https://submission-api.test.invalid"


@cache
def _rsa(bits: int, name: str) -> jwk.JWK:
    """Keys are slow to make: once per test session and purpose."""
    return jwk.JWK.generate(kty="RSA", size=bits, kid=f"{name}-{uuid.uuid4()}")


def public(key: jwk.JWK, **extra: Any) -> dict[str, Any]:
    return {**json.loads(key.export_public()), **extra}


@dataclass
class Submission:
    submission_id: str
    case_id: str
    destination_id: str
    announced: list[str]
    service_type: dict[str, Any]
    version: str = "v1"
    attachments: dict[str, bytes] = field(default_factory=dict)
    attachment_headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    metadata: dict[str, Any] | None = None
    data: bytes | None = None
    data_header: dict[str, Any] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


@dataclass
class FitConnectServer:
    client_id: str = "sender-client"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    destination_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    leika_key: str = "99108001000000"
    schema_uri: str = "https://schema.example.invalid/hundesteuer/1.0.json"
    # The office's keys: encryption (4096 bit, as the platform requires) and signing.
    encryption_key: jwk.JWK = field(default_factory=lambda: _rsa(4096, "enc"))
    signing_key: jwk.JWK = field(default_factory=lambda: _rsa(2048, "sig"))
    platform_key: jwk.JWK = field(default_factory=lambda: _rsa(2048, "platform"))
    # The key the x5c certificate is made for (None: the encryption key itself).
    certified_key: jwk.JWK | None = None
    # The Verwaltungs-PKI the key's certificate comes from; an expired leaf; OCSP and CRL
    # down, or only the OCSP responder.
    pki: LoopbackPKI = field(default_factory=LoopbackPKI)
    expired_leaf: bool = False
    pki_down: bool = False
    ocsp_down: bool = False
    # Who signs the routes: the self-service portal and the routing service.
    ssp_key: jwk.JWK = field(default_factory=lambda: _rsa(2048, "ssp"))
    routing_key: jwk.JWK = field(default_factory=lambda: _rsa(2048, "routing"))
    forge_routes: bool = False
    # Sign routes for another LeiKa key; alter the parameters after they were signed.
    sign_routes_for_leika: str = ""
    tamper_parameters: bool = False
    _leaf: tuple[Any, Any] = field(default=(None, None), repr=False)
    routes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    submissions: dict[str, Submission] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    # Switches for the tests.
    unavailable: bool = False
    refuse_submit: str = ""
    # Answer 503 to the next n calls of an endpoint ("create", "upload", "submit", …).
    fail_next: dict[str, int] = field(default_factory=dict)
    # Answer 200 with an HTML page instead of JSON to the next n calls of an endpoint.
    garbage_next: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FitConnectServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- the office's side (what a subscriber would do) ----------------------------------

    def only_submission(self) -> Submission:
        (submission,) = self.submissions.values()
        return submission

    def _set(
        self, submission: Submission, event: str, key: jwk.JWK, iss: str, **detail: Any
    ) -> str:
        claims = {
            "$schema": "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json",
            "jti": str(uuid.uuid4()),
            "iss": iss,
            "iat": int(time.time()),
            "sub": f"submission:{submission.submission_id}",
            "txn": f"case:{submission.case_id}",
            "events": {f"{EVENTS}{event}": detail},
        }
        token = jws.JWS(json.dumps(claims).encode())
        header = {"alg": "PS512", "typ": "secevent+jwt", "kid": key.get("kid")}
        token.add_signature(key, alg="PS512", protected=json.dumps(header))
        return str(token.serialize(compact=True))

    def accept(self, submission: Submission) -> None:
        token = self._set(submission, "accept-submission", self.signing_key, self.destination_id)
        submission.events.append(token)

    def reject(self, submission: Submission, title: str, detail: str) -> None:
        problems = [
            {
                "type": "https://schema.example.invalid/problems/incomplete",
                "title": title,
                "detail": detail,
            }
        ]
        token = self._set(
            submission,
            "reject-submission",
            self.signing_key,
            self.destination_id,
            problems=problems,
        )
        submission.events.append(token)

    def forge_accept(self, submission: Submission) -> None:
        """An "accepted" nobody authorised: signed with a stranger's key under the office's kid."""
        stranger = jwk.JWK.generate(kty="RSA", size=2048, kid=self.signing_key.get("kid"))
        token = self._set(submission, "accept-submission", stranger, self.destination_id)
        submission.events.append(token)

    def injected_failure(self, name: str) -> bool:
        """Apply the tests' switches to a call of `name`: raise a 503 Problem, or return True
        for a maintenance page (200, HTML) instead of the answer."""
        if self.unavailable:
            raise Problem(503, "Service Unavailable")
        if self.garbage_next.get(name):
            self.garbage_next[name] -= 1
            return True
        if self.fail_next.get(name):
            self.fail_next[name] -= 1
            raise Problem(503, "Service Unavailable")
        return False

    # --- the API ---------------------------------------------------------------------------

    def destination(self) -> dict[str, Any]:
        return {
            "destinationId": self.destination_id,
            "status": "active",
            "encryptionKid": self.encryption_key.get("kid"),
            "metadataVersions": ["1.0.0"],
            "services": [
                {
                    "identifier": f"urn:de:fim:leika:leistung:{self.leika_key}",
                    "submissionSchemas": [
                        {"schemaUri": self.schema_uri, "mimeType": "application/json"}
                    ],
                    "regions": ["DE99001001"],
                }
            ],
        }

    def leaf_certificate(self) -> Any:
        """The encryption key's certificate from the test PKI (one per key and switch)."""
        key = self.certified_key or self.encryption_key
        wanted = (key.get("kid"), key.thumbprint(), self.expired_leaf)
        if self._leaf[0] != wanted:
            public_key = key.get_op_key("wrapKey")
            cert = self.pki.leaf(public_key, base_url=self.url, expired=self.expired_leaf)
            self._leaf = (wanted, cert)
        return self._leaf[1]

    def renew_certificate(self) -> None:
        """A fresh certificate (new serial) for the encryption key at the next request."""
        self._leaf = (None, None)

    def key(self, kid: str) -> dict[str, Any]:
        if kid == self.encryption_key.get("kid"):
            x5c = [der_b64(self.leaf_certificate()), der_b64(self.pki.intermediate)]
            extra = {"x5c": x5c}
            return public(self.encryption_key, key_ops=["wrapKey"], alg="RSA-OAEP-256", **extra)
        if kid == self.signing_key.get("kid"):
            return public(self.signing_key, key_ops=["verify"], alg="PS512")
        raise Problem(404, "Key not found")

    def decrypt(self, token: str) -> tuple[bytes, dict[str, Any]]:
        parsed = jwe.JWE()
        try:
            parsed.deserialize(token, key=self.encryption_key)
        except Exception as exc:
            raise Problem(422, "Undecryptable", str(exc)) from exc
        header = dict(parsed.jose_header)
        if header.get("alg") != "RSA-OAEP-256" or header.get("enc") != "A256GCM":
            raise Problem(422, "Wrong algorithm", json.dumps(header))
        return bytes(parsed.payload), header

    def create(self, body: dict[str, Any], version: str = "v1") -> dict[str, Any]:
        if body.get("destinationId") != self.destination_id:
            raise Problem(404, "Destination not found", str(body.get("destinationId")))
        identifiers = [s["identifier"] for s in self.destination()["services"]]
        # Version 2 calls the service "publicService" (version 1: "serviceType").
        service_field = "serviceType" if version == "v1" else "publicService"
        if body.get(service_field, {}).get("identifier") not in identifiers:
            raise Problem(422, "Service not supported by destination")
        announced = [str(uuid.UUID(a)) for a in body.get("announcedAttachments", [])]
        submission = Submission(
            str(uuid.uuid4()),
            str(uuid.uuid4()),
            self.destination_id,
            announced,
            body[service_field],
            version,
        )
        self.submissions[submission.submission_id] = submission
        submission.events.append(
            self._set(submission, "create-submission", self.platform_key, PLATFORM_ISSUER)
        )
        return {
            "destinationId": self.destination_id,
            "submissionId": submission.submission_id,
            "caseId": submission.case_id,
        }

    def upload(self, submission_id: str, attachment_id: str, body: bytes) -> None:
        submission = self._submission(submission_id)
        if attachment_id not in submission.announced:
            raise Problem(404, "Attachment not announced")
        content, header = self.decrypt(body.decode("ascii"))
        submission.attachments[attachment_id] = content
        submission.attachment_headers[attachment_id] = header

    def submit(self, submission_id: str, body: dict[str, Any]) -> dict[str, Any]:
        submission = self._submission(submission_id)
        if submission.data is not None:
            raise Problem(409, "Submission already submitted")
        missing = set(submission.announced) - set(submission.attachments)
        if missing:
            raise Problem(422, "Missing attachments", ", ".join(sorted(missing)))
        if self.refuse_submit:
            raise Problem(422, "Submission refused", self.refuse_submit)
        metadata, _header = self.decrypt(body["encryptedMetadata"])
        submission.data, submission.data_header = self.decrypt(body["encryptedData"])
        submission.metadata = json.loads(metadata)
        submission.events.append(
            self._set(submission, "submit-submission", self.platform_key, PLATFORM_ISSUER)
        )
        return {
            "destinationId": self.destination_id,
            "submissionId": submission_id,
            "caseId": submission.case_id,
        }

    def _submission(self, submission_id: str) -> Submission:
        if submission_id not in self.submissions:
            raise Problem(404, "Submission not found")
        return self.submissions[submission_id]

    def case_events(self, case_id: str) -> dict[str, Any]:
        for submission in self.submissions.values():
            if submission.case_id == case_id:
                return {"eventLog": list(submission.events)}
        raise Problem(404, "Case not found")

    def find_routes(self, query: dict[str, list[str]]) -> dict[str, Any]:
        key = (query.get("leikaKey", [""])[0], query.get("ars", [""])[0])
        found = [self.route(destination_id, *key) for destination_id in self.routes.get(key, [])]
        return {"count": len(found), "offset": 0, "totalCount": len(found), "routes": found}

    def route(self, destination_id: str, leika: str, ars: str) -> dict[str, Any]:
        """A route as the Routing API answers it, signed by the self-service portal and the
        routing service (or, with `forge_routes`, by a stranger under the portal's kid)."""
        parameters = {
            "encryptionKid": self.encryption_key.get("kid"),
            "metadataVersions": ["1.0.0"],
            "submissionUrl": self.url,
        }
        claims = {
            "submissionHost": self.url.removeprefix("http://"),
            "iss": f"{self.url}/ssp",
            "services": [
                {
                    "gebietIDs": [
                        f"urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:{ars}"
                    ],
                    "leistungIDs": [
                        f"urn:de:fim:leika:leistung:{self.sign_routes_for_leika or leika}"
                    ],
                }
            ],
            "destinationId": destination_id,
            "iat": int(time.time()),
            "jti": str(uuid.uuid4()),
        }
        ssp_key = self.ssp_key
        if self.forge_routes:
            ssp_key = jwk.JWK.generate(kty="RSA", size=2048, kid=self.ssp_key.get("kid"))
        signed_parameters = sign(canonical(parameters), self.routing_key, detached=True)
        if self.tamper_parameters:
            parameters["submissionUrl"] = "https://elsewhere.invalid"
        return {
            "destinationId": destination_id,
            "destinationName": "Fachverfahren Test",
            "destinationSignature": sign(json.dumps(claims).encode(), ssp_key),
            "destinationParameters": parameters,
            "destinationParametersSignature": signed_parameters,
        }

    def token(self, form: dict[str, list[str]]) -> dict[str, Any]:
        if (
            form.get("grant_type") != ["client_credentials"]
            or form.get("client_id") != [self.client_id]
            or form.get("client_secret") != [self.client_secret]
        ):
            raise Problem(401, "invalid_client")
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return {"access_token": token, "token_type": "Bearer", "expires_in": 1800}


def sign(payload: bytes, key: jwk.JWK, *, detached: bool = False) -> str:
    """A compact JWS (PS512); detached: the payload part left empty (RFC 7515, appendix F)."""
    token = jws.JWS(payload)
    header = {"alg": "PS512", "kid": key.get("kid")}
    token.add_signature(key, alg="PS512", protected=json.dumps(header))
    compact = str(token.serialize(compact=True))
    if detached:
        head, _payload, signature = compact.split(".")
        return f"{head}..{signature}"
    return compact


# The Submission API's paths in version 1 and 2 (the Routing API is version 1).
V = r"^/(?P<v>v[12])"
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/token$"), "token"),
    ("GET", re.compile(r"^/\.well-known/jwks\.json$"), "jwks"),
    ("GET", re.compile(r"^/v1/routes$"), "routes"),
    ("GET", re.compile(r"^/(?P<who>ssp|routing)/\.well-known/jwks\.json$"), "signers"),
    ("POST", re.compile(r"^/pki/ocsp$"), "ocsp"),
    ("GET", re.compile(r"^/pki/crl$"), "crl"),
    ("GET", re.compile(V + r"/destinations/(?P<d>[^/]+)$"), "destination"),
    ("GET", re.compile(V + r"/destinations/(?P<d>[^/]+)/keys/(?P<kid>[^/]+)$"), "key"),
    ("POST", re.compile(V + r"/submissions$"), "create"),
    ("PUT", re.compile(V + r"/submissions/(?P<s>[^/]+)/attachments/(?P<a>[^/]+)$"), "upload"),
    ("PUT", re.compile(V + r"/submissions/(?P<s>[^/]+)$"), "submit"),
    ("GET", re.compile(V + r"/cases/(?P<c>[^/]+)/events$"), "events"),
]
PUBLIC = {"token", "jwks", "routes", "signers", "ocsp", "crl"}


def _route(method: str, path: str) -> tuple[str, dict[str, str]]:
    for verb, pattern, name in ROUTES:
        match = pattern.match(path)
        if verb == method and match:
            return name, match.groupdict()
    raise Problem(404, "Not Found")


@dataclass
class Call:
    params: dict[str, str]
    query: str
    body: bytes
    content_type: str


def _destination(server: FitConnectServer, call: Call) -> tuple[int, Any]:
    if call.params["d"] != server.destination_id:
        raise Problem(404, "Destination not found")
    return 200, server.destination()


def _upload(server: FitConnectServer, call: Call) -> tuple[int, Any]:
    if call.content_type != "application/jose":
        raise Problem(415, "Unsupported Media Type")
    server.upload(call.params["s"], call.params["a"], call.body)
    return 204, None


def _jwks(server: FitConnectServer, call: Call) -> tuple[int, Any]:
    return 200, {"keys": [public(server.platform_key, key_ops=["verify"], alg="PS512")]}


def _signers(server: FitConnectServer, call: Call) -> tuple[int, Any]:
    key = server.ssp_key if call.params["who"] == "ssp" else server.routing_key
    return 200, {"keys": [public(key, key_ops=["verify"], alg="PS512")]}


@dataclass
class Raw:
    """A body that is not JSON (OCSP answer, CRL)."""

    data: bytes
    content_type: str


def _revocation(server: FitConnectServer, call: Call, name: str) -> tuple[int, Any]:
    if server.pki_down or (name == "ocsp" and server.ocsp_down):
        raise Problem(503, "Service Unavailable")
    if name == "ocsp":
        return 200, Raw(server.pki.ocsp_answer(call.body), "application/ocsp-response")
    return 200, Raw(server.pki.crl(), "application/pkix-crl")


CALLS: dict[str, Any] = {
    "signers": _signers,
    "ocsp": lambda server, call: _revocation(server, call, "ocsp"),
    "crl": lambda server, call: _revocation(server, call, "crl"),
    "token": lambda server, call: (200, server.token(parse_qs(call.body.decode()))),
    "jwks": _jwks,
    "routes": lambda server, call: (200, server.find_routes(parse_qs(call.query))),
    "destination": _destination,
    "key": lambda server, call: (200, server.key(call.params["kid"])),
    "create": lambda server, call: (201, server.create(json.loads(call.body), call.params["v"])),
    "upload": _upload,
    "submit": lambda server, call: (200, server.submit(call.params["s"], json.loads(call.body))),
    "events": lambda server, call: (200, server.case_events(call.params["c"])),
}


def _encode(body: Any, problem: bool) -> tuple[bytes, str]:
    if isinstance(body, Raw):
        return body.data, body.content_type
    data = b"" if body is None else json.dumps(body).encode()
    return data, "application/problem+json" if problem else "application/json"


def _handler(server: FitConnectServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _answer(self, status: int, body: Any = None, problem: bool = False) -> None:
            self._answer_raw(status, *_encode(body, problem))

        def _answer_raw(self, status: int, data: bytes, kind: str = "text/html") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _dispatch(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            server.requests.append(f"{method} {parts.path}")
            try:
                name, params = _route(method, parts.path)
                if server.injected_failure(name):  # the tests' switches
                    return self._answer_raw(200, b"<html>Wartungsarbeiten</html>")
                if name not in PUBLIC:
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in server.tokens:
                        raise Problem(401, "Unauthorized")
                call = Call(params, parts.query, raw, self.headers.get("Content-Type", ""))
                with server.lock:
                    status, body = CALLS[name](server, call)
            except Problem as problem:
                body = {"title": problem.title, "detail": problem.detail}
                return self._answer(problem.status, body, problem=True)
            return self._answer(status, body)

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

    return Handler
