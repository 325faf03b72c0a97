"""The events' part of "Meine Anliegen" (accounts.sections): marked upcoming events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import User

from .selectors import favourites_of


def my_events(request: HttpRequest, user: User) -> dict[str, Any]:
    return {"favourite_events": list(favourites_of(user.pk)[:20])}
