"""Outbound calls to configured URLs (core.net): internal addresses, other schemes and
redirects are refused; answers are capped; timeouts are "unreachable", not a hang."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from core import net


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Handler.hits.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/secret")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(2)
        body = b"x" * 100_000 if self.path == "/big" else b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.hits = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@override_settings(OUTBOUND_ALLOWED_HOSTS=[])
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/hook",
        "http://[::1]/",
        "http://224.0.0.1/",
    ],
)
def test_internal_addresses_are_refused_without_a_connection(url: str) -> None:
    with pytest.raises(net.OutboundRefused, match="internes Netz"):
        net.send("GET", url, timeout=(0.5, 0.5))


@override_settings(OUTBOUND_ALLOWED_HOSTS=[])
def test_loopback_is_refused_and_never_reached(server: str) -> None:
    with pytest.raises(net.OutboundRefused):
        net.send("GET", f"{server}/hook")
    assert _Handler.hits == []


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://x/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(net.OutboundRefused, match="http"):
        net.send("GET", url)


@override_settings(OUTBOUND_ALLOWED_HOSTS=["127.0.0.0/8"])
def test_an_allow_listed_network_is_reached(server: str) -> None:
    answer = net.send("GET", f"{server}/hook")
    assert (answer.status, answer.text, answer.truncated) == (200, "ok", False)


@override_settings(OUTBOUND_ALLOWED_HOSTS=["localhost"])
def test_an_allow_listed_name_is_reached_but_not_its_address(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    assert net.send("GET", f"http://localhost:{port}/hook").status == 200
    with pytest.raises(net.OutboundRefused):
        net.send("GET", f"{server}/hook")  # 127.0.0.1 itself is not on the list


@override_settings(OUTBOUND_ALLOWED_HOSTS=["127.0.0.1"])
def test_redirects_are_not_followed(server: str) -> None:
    answer = net.send("GET", f"{server}/redirect")
    assert answer.status == 302
    assert _Handler.hits == ["/redirect"]


@override_settings(OUTBOUND_ALLOWED_HOSTS=["127.0.0.1"])
def test_the_answer_is_capped(server: str) -> None:
    answer = net.send("GET", f"{server}/big", max_bytes=1000)
    assert (len(answer.body), answer.truncated) == (1000, True)


@override_settings(OUTBOUND_ALLOWED_HOSTS=["127.0.0.1"])
def test_a_slow_server_is_unreachable_not_a_hang(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(net.OutboundUnreachable):
        net.send("GET", f"{server}/slow", timeout=(1.0, 0.5))
    assert time.monotonic() - started < 1.9
