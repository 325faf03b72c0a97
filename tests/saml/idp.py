"""A small SAML 2.0 identity provider for the tests, playing BundID on loopback.

pysaml2's Server does the protocol: it reads the SP's metadata from the portal (our
/konto/saml/metadata/), checks the signature of the AuthnRequest (HTTP-Redirect binding) and
answers with a signed Response (HTTP-POST binding, assertion signed and encrypted for the SP)
carrying BundID's attributes (urn:oid names) and the STORK-QAA level of the chosen login method.

Single logout (unless IDP_NO_SLO is set, then the metadata has no SingleLogoutService): /slo
takes the SP's LogoutRequest (Redirect or POST; its signature must verify against the SP's
metadata) and answers with a signed LogoutResponse — over Redirect, or POST after
/control?logout=post, or signed with the rogue key after /control?logout=forged.
/initiate-logout?user=…&binding=redirect|post starts a logout at the IdP: a signed
LogoutRequest for that person's NameID sent through the browser to the SP; the SP's answer
comes back to /slo. /log lists what /slo received and whether its signature verified (JSON).

The login page asks for the person and the method — eid (Online-Ausweis, level 4), elster
(ELSTER certificate, level 3) or password (level 1). "forged" signs the answer with another key
than the one in our metadata, as an attacker would; "cancel" answers with the error status
AuthnFailed, as when the citizen cancels at BundID.

Run: IDP_KEY, IDP_CERT, ROGUE_KEY, ROGUE_CERT (PEM files), SP_METADATA_URL; prints
"ready <base URL>" once it listens on a free loopback port.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import STATUS_AUTHN_FAILED, logout_response_from_string
from saml2.server import Server
from saml2.sigver import verify_redirect_signature

LEVELS = {
    "eid": "STORK-QAA-Level-4",
    "elster": "STORK-QAA-Level-3",
    "password": "STORK-QAA-Level-1",
}
OID_BPK2 = "urn:oid:1.3.6.1.4.1.25484.494450.3"
OID_GIVEN = "urn:oid:2.5.4.42"
OID_FAMILY = "urn:oid:2.5.4.4"
OID_MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
OID_LEVEL = "urn:oid:1.2.40.0.10.2.1.1.261.94"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _config(base: str, key: str, cert: str, with_sp: bool) -> IdPConfig:
    endpoints: dict[str, Any] = {"single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)]}
    if not os.environ.get("IDP_NO_SLO"):
        endpoints["single_logout_service"] = [
            (f"{base}/slo", BINDING_HTTP_REDIRECT),
            (f"{base}/slo", BINDING_HTTP_POST),
        ]
    data: dict[str, Any] = {
        "entityid": f"{base}/metadata",
        "xmlsec_binary": shutil.which("xmlsec1"),
        "service": {
            "idp": {
                "endpoints": endpoints,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "want_authn_requests_signed": True,
                "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}},
            }
        },
        "key_file": key,
        "cert_file": cert,
        "allow_unknown_attributes": True,
    }
    if with_sp:
        data["metadata"] = {"remote": [{"url": os.environ["SP_METADATA_URL"]}]}
    config = IdPConfig()
    config.load(data)
    return config


class App:
    def __init__(self, base: str) -> None:
        self.base = base
        self.pending: dict[str, tuple[Any, str]] = {}  # login id → (AuthnRequest, RelayState)
        self._servers: dict[str, Server] = {}
        self.logout_answer = "redirect"  # or "post", "forged" (/control?logout=…)
        self.log: list[dict[str, Any]] = []  # what /slo received (/log)

    def server(self, which: str) -> Server:
        """The genuine IdP ("idp") or one signing with a foreign key ("rogue"); the SP's
        metadata is read on first use, when the portal is configured."""
        if which not in self._servers:
            key, cert = (
                (os.environ["IDP_KEY"], os.environ["IDP_CERT"])
                if which == "idp"
                else (os.environ["ROGUE_KEY"], os.environ["ROGUE_CERT"])
            )
            self._servers[which] = Server(config=_config(self.base, key, cert, with_sp=True))
        return self._servers[which]

    def __call__(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            if path == "/metadata":
                return self.metadata(start)
            if path == "/sso":
                return self.sso(query, start)
            if path == "/login" and environ["REQUEST_METHOD"] == "POST":
                return self.login(_form(environ), start)
            if path == "/slo":
                if environ["REQUEST_METHOD"] == "POST":
                    return self.slo(_form(environ), BINDING_HTTP_POST, start)
                return self.slo(query, BINDING_HTTP_REDIRECT, start)
            if path == "/initiate-logout":
                return self.initiate_logout(query, start)
            if path == "/control":
                self.logout_answer = query.get("logout", "redirect")
                return _page(start, "200 OK", "ok")
            if path == "/log":
                start("200 OK", [("Content-Type", "application/json")])
                return [json.dumps(self.log).encode()]
        except Exception as exc:  # a refused request: say why, as an IdP's error page would
            return _page(start, "400 Bad Request", f"<p>{html.escape(repr(exc))}</p>")
        return _page(start, "404 Not Found", "<p>not found</p>")

    def metadata(self, start: StartResponse) -> Iterable[bytes]:
        config = _config(self.base, os.environ["IDP_KEY"], os.environ["IDP_CERT"], False)
        xml = create_metadata_string(None, config=config, valid=24).decode()
        start("200 OK", [("Content-Type", "application/samlmetadata+xml")])
        return [xml.encode()]

    def sso(self, query: dict[str, str], start: StartResponse) -> Iterable[bytes]:
        request = self.server("idp").parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        login_id = secrets.token_urlsafe(8)
        self.pending[login_id] = (request.message, query.get("RelayState", ""))
        methods = [*LEVELS, "forged", "cancel"]
        options = "".join(f'<option value="{m}">{m}</option>' for m in methods)
        return _page(
            start,
            "200 OK",
            f'<form method="post" action="{self.base}/login">'
            f'<input type="hidden" name="login" value="{login_id}">'
            '<input name="user" value="erika"><input name="email" value="">'
            f'<select name="method">{options}</select><button>Anmelden</button></form>',
        )

    def login(self, form: dict[str, str], start: StartResponse) -> Iterable[bytes]:
        request, relay_state = self.pending.pop(form["login"])
        method = form.get("method", "eid")
        server = self.server("rogue" if method == "forged" else "idp")
        level = LEVELS.get(method, LEVELS["eid"])
        user = form.get("user", "erika")
        identity = {
            OID_BPK2: [f"bpk2-{user}"],
            OID_GIVEN: [user.capitalize()],
            OID_FAMILY: ["Mustermann"],
            OID_LEVEL: [level],
        }
        if form.get("email"):
            identity[OID_MAIL] = [form["email"]]
        args = self.server("idp").response_args(request, [BINDING_HTTP_POST])
        if method == "cancel":  # the citizen cancelled at the IdP: an error status, no assertion
            response = server.create_error_response(
                request.id,
                args["destination"],
                (STATUS_AUTHN_FAILED, "Anmeldung abgebrochen"),
                sign=True,
            )
            return self._post(server, str(response), args["destination"], relay_state, start)
        sp_cert = _sp_encryption_cert(server, request.issuer.text)
        response = server.create_authn_response(
            identity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"bpk2-{user}"),
            authn={"class_ref": level, "authn_auth": self.base},
            sign_response=True,
            sign_assertion=True,
            encrypt_assertion=True,
            encrypted_advice_attributes=False,
            encrypt_cert_assertion=sp_cert,
            **{k: v for k, v in args.items() if k != "binding"},
        )
        return self._post(server, str(response), args["destination"], relay_state, start)

    def _post(
        self, server: Server, message: str, destination: str, relay_state: str, start: StartResponse
    ) -> Iterable[bytes]:
        """The auto-submitting form that carries the answer to the SP (HTTP-POST binding)."""
        http = server.apply_binding(
            BINDING_HTTP_POST, message, destination, relay_state, response=True
        )
        start("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [str(http["data"]).encode()]

    def slo(self, data: dict[str, str], binding: str, start: StartResponse) -> Iterable[bytes]:
        if "SAMLResponse" in data:
            return self.slo_answered(data, binding, start)
        idp = self.server("idp")
        # want_authn_requests_signed: the request's signature must verify (query or XML).
        request = idp.parse_logout_request(
            data["SAMLRequest"],
            binding,
            relay_state=data.get("RelayState"),
            sigalg=data.get("SigAlg"),
            signature=data.get("Signature"),
        )
        message = request.message
        self.log.append(
            {
                "kind": "request",
                "binding": binding,
                "signature_verified": True,
                "sigalg": data.get("SigAlg", ""),
                "name_id": message.name_id.text,
                "issuer": message.issuer.text,
            }
        )
        forged = self.logout_answer == "forged"
        responder = self.server("rogue" if forged else "idp")
        out = BINDING_HTTP_POST if self.logout_answer == "post" else BINDING_HTTP_REDIRECT
        destination = idp.response_args(message, [out])["destination"]
        response = responder.create_logout_response(
            message, [out], sign=out == BINDING_HTTP_POST, sign_alg=_SHA256
        )
        http = responder.apply_binding(
            out,
            str(response),
            destination,
            data.get("RelayState", ""),
            response=True,
            sign=out == BINDING_HTTP_REDIRECT,
            sigalg=_SHA256,
        )
        return _send(http, start)

    def slo_answered(
        self, data: dict[str, str], binding: str, start: StartResponse
    ) -> Iterable[bytes]:
        """The SP's LogoutResponse to a logout this IdP started."""
        idp = self.server("idp")
        xml = idp.unravel(data["SAMLResponse"], binding, "logout_response")
        message = logout_response_from_string(xml)
        # Checks the XML signature (if any), then raises on a status other than Success.
        with contextlib.suppress(StatusError):
            idp.parse_logout_request_response(data["SAMLResponse"], binding)
        sp = message.issuer.text
        if binding == BINDING_HTTP_REDIRECT:
            certs = [c for _n, c in idp.metadata.certs(sp, "spsso", "signing")]
            verified = any(
                verify_redirect_signature(dict(data), idp.sec.sec_backend, c) for c in certs
            )
        else:  # the XML signature was checked while parsing
            verified = message.signature is not None
        code = message.status.status_code
        status = code.value
        detail = code.status_code.value if code.status_code is not None else ""
        self.log.append(
            {
                "kind": "response",
                "binding": binding,
                "signature_verified": verified,
                "status": status,
                "detail": detail,
            }
        )
        return _page(start, "200 OK", "<p>Abgemeldet</p>")

    def initiate_logout(self, query: dict[str, str], start: StartResponse) -> Iterable[bytes]:
        idp = self.server("idp")
        binding = BINDING_HTTP_POST if query.get("binding") == "post" else BINDING_HTTP_REDIRECT
        sp = next(iter(idp.metadata.with_descriptor("spsso")))
        services = idp.metadata.single_logout_service(sp, binding, "spsso")
        destination = services[0]["location"]
        user = query.get("user", "erika")
        if query.get("forged"):  # signed with a key that isn't in the IdP's metadata
            idp = self.server("rogue")
        _id, request = idp.create_logout_request(
            destination,
            sp,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"bpk2-{user}"),
            sign=binding == BINDING_HTTP_POST,
            sign_alg=_SHA256,
        )
        http = idp.apply_binding(
            binding,
            str(request),
            destination,
            "idp-initiated",
            sign=binding == BINDING_HTTP_REDIRECT,
            sigalg=_SHA256,
        )
        return _send(http, start)


_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


def _send(http: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
    """A message through the browser: a redirect, or the auto-submitting form (POST)."""
    if http["method"] == "GET":
        location = dict(http["headers"])["Location"]
        start("302 Found", [("Location", location)])
        return [b""]
    start("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [str(http["data"]).encode()]


def _form(environ: dict[str, Any]) -> dict[str, str]:
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(size).decode()
    return {k: v[0] for k, v in parse_qs(body).items()}


def _sp_encryption_cert(server: Server, sp_entity_id: str) -> str:
    certs = server.metadata.certs(sp_entity_id, "spsso", "encryption")
    cert = certs[0][1]
    return f"-----BEGIN CERTIFICATE-----\n{cert}\n-----END CERTIFICATE-----\n"


def _page(start: StartResponse, status: str, body: str) -> Iterable[bytes]:
    start(status, [("Content-Type", "text/html; charset=utf-8")])
    return [f"<!doctype html><html><body>{body}</body></html>".encode()]


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    holder: list[App] = []
    httpd = make_server("127.0.0.1", 0, lambda e, s: holder[0](e, s), handler_class=_Quiet)
    holder.append(App(f"http://127.0.0.1:{httpd.server_port}"))
    print(f"ready {holder[0].base}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
