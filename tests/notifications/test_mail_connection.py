"""A worker sends its mails over one SMTP connection (not one per mail), and gets over a server
that dropped the connection without losing the mail. Real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from notifications import emails, mail_connection
from outbox.models import OutboxMessage


class Counting:
    def __init__(self) -> None:
        self.greetings = 0
        self.mails: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.greetings += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.mails.append(envelope.original_content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[tuple[list[Controller], Counting]]:
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    running = [controller]
    yield running, handler
    mail_connection._close()
    running[-1].stop()


def _row(number: int) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxMessage.EMAIL,
        idempotency_key=f"email:test:{number}",
        payload={
            "to": f"leser{number}@example.org",
            "subject": "Hallo",
            "text": "Text",
            "html": "",
        },
    )


@pytest.mark.django_db
def test_mails_share_one_connection_and_survive_a_dropped_one(
    smtp_server: tuple[list[Controller], Counting],
) -> None:
    running, handler = smtp_server
    for number in range(3):
        emails.send_email(_row(number))
    assert len(handler.mails) == 3
    assert handler.greetings == 1  # one connection for three mails

    # The server goes away and comes back (as after a restart or an idle timeout).
    running[0].stop()
    running.append(Controller(handler, hostname="127.0.0.1", port=running[0].port))
    running[-1].start()
    emails.send_email(_row(3))
    assert len(handler.mails) == 4
    assert b"leser3@example.org" in handler.mails[-1]
    assert handler.greetings == 2
