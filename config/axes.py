"""django-axes: which login name a failed attempt counts against.

The admin posts `username` (our users log in with their email address, USERNAME_FIELD), allauth
posts `login` and authenticates with `email=`; all of them name the same account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def login_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    for source in (credentials or {}, request.POST if request is not None else {}):
        for field in ("username", "email", "login"):
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return None
