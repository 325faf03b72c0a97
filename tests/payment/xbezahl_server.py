"""A small payment platform speaking FITKO's XBezahldienste REST interface, for the tests.

It listens on loopback on a free port and implements what the portal uses:

* ``POST {base}/paymenttransaction/{originatorId}/{endPointId}`` — checks credentials, the
  originator, and the PaymentRequest as the spec constrains it (requestId pattern and
  uniqueness, EUR, purpose ≤ 27 characters of the allowed pattern, items, grosAmount equal to
  the items' sum) and answers a PaymentTransaction (status INITIAL) or a problem+json;
* ``GET {base}/paymenttransaction/{originatorId}/{endPointId}/{transactionId}`` — the status;
* ``POST /oauth/token`` — client credentials, for the OAuth 2.0 mode;
* ``GET/POST /pay/{transactionId}`` — the pay page: the payer chooses card, PayPal or giropay
  and pays, gets refused (a declined card) or cancels; the browser goes back to redirectUrl.

`delay` makes every API answer (not the pay page) that many seconds late: the timeout mode.
`finish()` ends a transaction as the platform would when the payer never comes back.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import time
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/xbezahldienste/api/v1.0.0"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,36}$")
PURPOSE_PATTERN = re.compile(r"^[A-Za-z0-9_\s-]{1,27}$")
METHODS = {"CREDITCARD": "Kreditkarte", "PAYPAL": "PayPal", "GIROPAY": "giropay"}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up waiting (the timeout tests) closed the connection: expected.
        return


class XBezahlServer:
    def __init__(
        self,
        *,
        originator_id: str = "mm-serviceportal",
        username: str = "portal",
        password: str = "geheim",  # noqa: S107 - the test platform's own
        auth: str = "basic",
    ) -> None:
        self.originator_id = originator_id
        self.username = username
        self.password = password
        self.auth = auth  # none | basic | oauth2
        self.delay = 0.0
        self.transactions: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.token_requests = 0
        self._tokens: set[str] = set()
        self._counter = 0
        self._lock = threading.Lock()
        handler = type("PlatformHandler", (Handler,), {"platform": self})
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return self.root + API

    @property
    def token_url(self) -> str:
        return self.root + "/oauth/token"

    def start(self) -> XBezahlServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def finish(self, transaction_id: str, status: str, method: str = "CREDITCARD") -> None:
        info = self.transactions[transaction_id]["paymentInformation"]
        info["status"] = status
        info["paymentMethod"] = method if status == "PAYED" else None

    def new_transaction(self, originator: str, endpoint: str, request: dict[str, Any]) -> dict:
        with self._lock:
            self._counter += 1
            number = self._counter
        transaction_id = uuid.uuid4().hex[:24]
        transaction = {
            "paymentRequest": request,
            "paymentInformation": {
                "transactionId": transaction_id,
                "transactionReference": f"KZ-{endpoint[:8]}-{number:06d}",
                "transactionUrl": f"{self.root}/pay/{transaction_id}",
                "transactionTimestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "status": "INITIAL",
                "paymentMethod": None,
            },
            "_originator": originator,
            "_endpoint": endpoint,
        }
        self.transactions[transaction_id] = transaction
        return transaction


def problem(status: int, reason: str, text: str) -> dict[str, Any]:
    return {"status": status, "reason": reason, "functionalText": text, "title": reason}


def request_problems(body: Any, known_ids: set[str]) -> dict[str, Any] | None:
    """What the platform refuses in a PaymentRequest (None: nothing)."""
    if not isinstance(body, dict):
        return problem(400, "VALIDATION_ERROR", "Kein PaymentRequest")
    request_id = str(body.get("requestId") or "")
    if not ID_PATTERN.match(request_id):
        return problem(400, "VALIDATION_ERROR", "requestId")
    if request_id in known_ids:
        return problem(400, "PAYMENT_EXISTS", "requestId schon verwendet")
    if body.get("currency") != "EUR":
        return problem(400, "VALIDATION_ERROR", "currency")
    if not PURPOSE_PATTERN.match(str(body.get("purpose") or "")):
        return problem(400, "VALIDATION_ERROR", "purpose")
    if not str(body.get("redirectUrl") or "").startswith(("http://", "https://")):
        return problem(400, "VALIDATION_ERROR", "redirectUrl")
    items = body.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= 99:
        return problem(400, "VALIDATION_ERROR", "items")
    total = sum(
        Decimal(str(item.get("totalNetAmount", 0))) + Decimal(str(item.get("totalTaxAmount", 0)))
        for item in items
    )
    if Decimal(str(body.get("grosAmount"))) != total or total <= 0:
        return problem(400, "CALCULATION_ERROR", "grosAmount passt nicht zu den Positionen")
    return None


class Handler(BaseHTTPRequestHandler):
    platform: XBezahlServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    # --- plumbing ------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        kind = "application/problem+json" if status >= 400 else "application/json"
        public = {k: v for k, v in data.items() if not k.startswith("_")}
        self._send(status, json.dumps(public).encode(), kind)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        given = self.headers.get("Authorization", "")
        if self.platform.auth == "none":
            return True
        if self.platform.auth == "oauth2":
            return given.startswith("Bearer ") and given[7:] in self.platform._tokens
        pair = f"{self.platform.username}:{self.platform.password}".encode()
        return given == "Basic " + base64.b64encode(pair).decode()

    # --- the interface -------------------------------------------------------------

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        self.platform.requests.append(("POST", path))
        if path == "/oauth/token":
            return self._token()
        if path.startswith("/pay/"):
            return self._pay(path.removeprefix("/pay/"))
        parts = path.removeprefix(API + "/").split("/")
        if not path.startswith(API + "/") or len(parts) != 3 or parts[0] != "paymenttransaction":
            return self._json(404, problem(404, "UNSPECIFIED", "Unbekannter Pfad"))
        time.sleep(self.platform.delay)
        if not self._authorised():
            return self._json(403, problem(403, "FORBIDDEN", "Keine Berechtigung"))
        if parts[1] != self.platform.originator_id or not ID_PATTERN.match(parts[2]):
            return self._json(
                400, problem(400, "NO_VALID_ORIGINATOR_OR_ENDPOINT", "Mandant unbekannt")
            )
        try:
            body = json.loads(self._body())
        except ValueError:
            body = None
        known = {t["paymentRequest"]["requestId"] for t in self.platform.transactions.values()}
        refused = request_problems(body, known)
        if refused is not None:
            return self._json(refused["status"], refused)
        return self._json(200, self.platform.new_transaction(parts[1], parts[2], body))

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.platform.requests.append(("GET", path))
        if path.startswith("/pay/"):
            return self._page(path.removeprefix("/pay/"))
        parts = path.removeprefix(API + "/").split("/")
        if not path.startswith(API + "/") or len(parts) != 4 or parts[0] != "paymenttransaction":
            return self._json(404, problem(404, "UNSPECIFIED", "Unbekannter Pfad"))
        time.sleep(self.platform.delay)
        if not self._authorised():
            return self._json(403, problem(403, "FORBIDDEN", "Keine Berechtigung"))
        transaction = self.platform.transactions.get(parts[3])
        if transaction is None or transaction["_endpoint"] != parts[2]:
            return self._json(404, problem(404, "UNSPECIFIED", "Transaktion unbekannt"))
        return self._json(200, transaction)

    def _token(self) -> None:
        pair = f"{self.platform.username}:{self.platform.password}".encode()
        form = parse_qs(self._body().decode())
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(pair).decode():
            return self._json(401, {"error": "invalid_client"})
        if form.get("grant_type") != ["client_credentials"]:
            return self._json(400, {"error": "unsupported_grant_type"})
        self.platform.token_requests += 1
        token = uuid.uuid4().hex
        self.platform._tokens.add(token)
        return self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 300})

    # --- the pay page --------------------------------------------------------------

    def _page(self, transaction_id: str) -> None:
        transaction = self.platform.transactions.get(transaction_id)
        if transaction is None:
            return self._send(404, b"Unbekannte Zahlung", "text/plain; charset=utf-8")
        request = transaction["paymentRequest"]
        choices = "".join(
            f'<label><input type="radio" name="method" value="{key}"'
            f"{' checked' if key == 'CREDITCARD' else ''}> {label}</label><br>"
            for key, label in METHODS.items()
        )
        page = (
            '<!doctype html><html lang="de"><head><meta charset="utf-8">'
            "<title>Bezahlplattform (Test)</title></head><body><main>"
            "<h1>Bezahlplattform (Test)</h1>"
            f"<p>{html.escape(str(request.get('description', '')))}</p>"
            f"<p>Betrag: <strong>{request['grosAmount']:.2f} EUR</strong></p>"
            f'<form method="post"><fieldset><legend>Zahlart</legend>{choices}</fieldset>'
            '<button name="action" value="pay">Bezahlen</button> '
            '<button name="action" value="fail">Zahlung ablehnen (Test)</button> '
            '<button name="action" value="cancel">Abbrechen</button>'
            "</form></main></body></html>"
        )
        return self._send(200, page.encode(), "text/html; charset=utf-8")

    def _pay(self, transaction_id: str) -> None:
        transaction = self.platform.transactions.get(transaction_id)
        if transaction is None:
            return self._send(404, b"Unbekannte Zahlung", "text/plain; charset=utf-8")
        form = parse_qs(self._body().decode())
        action = form.get("action", ["cancel"])[0]
        method = form.get("method", ["CREDITCARD"])[0]
        status = {"pay": "PAYED", "fail": "FAILED"}.get(action, "CANCELED")
        if transaction["paymentInformation"]["status"] == "INITIAL":
            self.platform.finish(transaction_id, status, method)
        location = transaction["paymentRequest"]["redirectUrl"]
        return self._send(303, b"", "text/plain", Location=location)
