"""The catalogue's part of "Meine Anliegen" (registered with accounts.sections in
CatalogueConfig.ready): the citizen's applications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import User

from .selectors import applications_of_user


def my_applications(request: HttpRequest, user: User) -> dict[str, Any]:
    return {"applications": applications_of_user(user.pk)}
