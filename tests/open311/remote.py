"""A real HTTP server in a thread that plays a remote Open311 system: it answers from a script
(status and body per request, the last one repeated) and records what it received. A script
entry "proxy:<url>" passes the request on to another server (e.g. our own live_server)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CREATED_XML = (
    "<?xml version='1.0' encoding='utf-8'?><service_requests><request>"
    "<service_request_id>{id}</service_request_id></request></service_requests>"
)
TOKEN_XML = (
    "<?xml version='1.0' encoding='utf-8'?><service_requests><request>"
    "<token>{token}</token></request></service_requests>"
)
TOKEN_RESOLVED_XML = (
    "<?xml version='1.0' encoding='utf-8'?><service_requests><request>"
    "<service_request_id>{id}</service_request_id><token>{token}</token>"
    "</request></service_requests>"
)
ERROR_XML = (
    "<?xml version='1.0' encoding='utf-8'?><errors><error><code>{code}</code>"
    "<description>{text}</description></error></errors>"
)


@dataclass
class Received:
    method: str
    path: str
    fields: list[tuple[str, str]]

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.fields if k == name), None)

    def getlist(self, name: str) -> list[str]:
        return [v for k, v in self.fields if k == name]


@dataclass
class Remote:
    script: list[tuple[int, str]]
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def next_answer(self) -> tuple[int, str]:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]


def _handler(remote: Remote) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parsed = urllib.parse.urlsplit(self.path)
            fields = urllib.parse.parse_qsl(body.decode() or parsed.query, keep_blank_values=True)
            remote.received.append(Received(self.command, parsed.path, fields))
            status, text = remote.next_answer()
            if text.startswith("proxy:"):
                status, text = _proxy(text.removeprefix("proxy:"), self, body)
            payload = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _proxy(base: str, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - a test server on 127.0.0.1
        base.rstrip("/") + handler.path,
        data=body or None,
        method=handler.command,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@contextmanager
def remote_server(*script: tuple[int, str]) -> Iterator[Remote]:
    remote = Remote(list(script))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(remote))
    remote.url = f"http://127.0.0.1:{server.server_address[1]}/open311/v2/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield remote
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
