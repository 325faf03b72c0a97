"""One mail connection per worker process, reused from mail to mail.

Django's `EmailMessage.send()` opens a new SMTP connection (TCP, EHLO, STARTTLS, AUTH) for
every mail and closes it after. A fan-out to 10,000 recipients would pay that 10,000 times.
Here a worker keeps its connection open between mails; it is opened again when the email
settings change, after it has been idle for IDLE_SECONDS (servers drop idle clients), and
after any error (the failed mail's outbox row is retried as before). A mail that fails
because the server had already dropped the connection is sent once more on a new one: the
server had not accepted it.
"""

from __future__ import annotations

import contextlib
import smtplib
import threading
import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

IDLE_SECONDS = 30

_lock = threading.Lock()
_state: dict[str, Any] = {"connection": None, "signature": None, "used": 0.0}


def _signature() -> tuple[Any, ...]:
    return (
        settings.EMAIL_BACKEND,
        getattr(settings, "EMAIL_HOST", ""),
        getattr(settings, "EMAIL_PORT", 0),
        getattr(settings, "EMAIL_HOST_USER", ""),
        getattr(settings, "EMAIL_USE_TLS", False),
        getattr(settings, "EMAIL_USE_SSL", False),
    )


def _close() -> None:
    connection = _state["connection"]
    _state["connection"] = None
    if connection is not None:
        # A dead connection may fail to close; it is gone anyway.
        with contextlib.suppress(Exception):
            connection.close()


def _connection() -> Any:
    signature = _signature()
    idle = time.monotonic() - _state["used"] > IDLE_SECONDS
    if _state["connection"] is None or _state["signature"] != signature or idle:
        _close()
        connection = get_connection()
        connection.open()
        _state.update(connection=connection, signature=signature)
    return _state["connection"]


def send(mail: EmailMessage) -> None:
    """Send over the process's open connection; raises what the backend raises."""
    with _lock:
        for attempt in (1, 2):
            mail.connection = _connection()
            try:
                mail.send()
            except smtplib.SMTPServerDisconnected:
                _close()
                if attempt == 2:
                    raise
                continue
            except Exception:
                _close()
                raise
            _state["used"] = time.monotonic()
            return
