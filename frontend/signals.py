"""Signal receivers of the front end."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import Membership
from accounts.navigation import STAFF_NAV_SESSION_KEY


@receiver(user_logged_in)
def remember_staff_nav(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Decide once per login whether the person works for an authority, so that pages do not
    ask the database for the navigation on every request. Only the link depends on it; the
    staff pages check tracker.permissions on every request."""
    if request is not None and hasattr(request, "session"):
        request.session[STAFF_NAV_SESSION_KEY] = bool(
            user.is_superuser or Membership.objects.filter(user=user).exists()
        )
