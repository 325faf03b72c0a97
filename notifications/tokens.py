"""Signed one-click unsubscribe tokens (django.core.signing): the token says which address
no longer wants what; nothing needs to be stored before someone uses it."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"


def make(email: str, scope: str) -> str:
    return signing.dumps({"e": email.strip().lower(), "s": scope}, salt=SALT, compress=True)


def read(token: str) -> tuple[str, str]:
    """(email, scope), or signing.BadSignature for a forged or damaged token."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not data.get("e") or not data.get("s"):
        raise signing.BadSignature("incomplete token")
    return str(data["e"]), str(data["s"])


def unsubscribe_path(email: str, scope: str) -> str:
    return reverse("notifications:unsubscribe", args=[make(email, scope)])
