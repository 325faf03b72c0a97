"""Fixtures for the notification tests: an SMTP server on loopback (aiosmtpd), a real Celery
worker (with embedded beat) against the real Redis and the test database, and a local HTTP
server for webhooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Received:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, content_type: str) -> str:
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        return "" if body is None else str(body.get_content())

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


@dataclass
class SmtpSink:
    """Collects what arrives; `stop()` makes the port unreachable, `start()` brings it back."""

    port: int = 0
    messages: list[Received] = field(default_factory=list)
    controller: Controller | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.port = self.controller.port

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if address in m.to]

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        with self.lock:
            got = [(m.to, m.subject) for m in self.messages]
        raise AssertionError(f"expected {count} mails, got {len(got)}: {got}")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=_free_port())
    sink.start()
    yield sink
    sink.stop()


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    queue: str
    log: Path


@pytest.fixture(scope="module")
def celery_worker(
    django_db_setup: None, django_db_blocker: Any, smtp: SmtpSink, tmp_path_factory: Any
) -> Iterator[Worker]:
    """A real `celery worker -B` subprocess on its own queue, against the test database."""
    from celery import current_app
    from django.db import connection

    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    queue = f"mm-notify-test-{uuid.uuid4().hex[:8]}"
    tmp = tmp_path_factory.mktemp("worker")
    log = tmp / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "MM_TEST_DB_NAME": db_name,
        "MM_TEST_QUEUE": queue,
        "MM_TEST_SMTP_PORT": str(smtp.port),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            "-B",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "INFO",
            "-s",
            str(tmp / "beat-schedule"),
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    # The test process publishes to the same Redis, on the worker's queue, for real.
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.task_default_queue)
    conf.task_always_eager = False
    conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"worker died:\n{log.read_text()}")
            if b"ready." in log.read_bytes():
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"worker not ready:\n{log.read_text()}")
        yield Worker(process, queue, log)
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Hook:
    """A webhook receiver: answers the first `fail_first` requests with 500."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_first: int = 0


@pytest.fixture
def webhook_server() -> Iterator[Hook]:
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hook.requests.append({"headers": dict(self.headers), "body": body})
            failing = len(hook.requests) <= hook.fail_first
            self.send_response(500 if failing else 200)
            self.end_headers()
            self.wfile.write(json.dumps({"ok": not failing}).encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield hook
    server.shutdown()
    server.server_close()


def wait_until(check: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or check}")
