"""The catalogue's part of "Meine Anliegen" (registered with accounts.sections in
CatalogueConfig.ready): the citizen's applications; her BundID links (catalogue.saml)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User

from .identity_models import SamlIdentity
from .saml import is_configured, verified_level
from .selectors import applications_of_user


def my_applications(request: HttpRequest, user: User) -> dict[str, Any]:
    return {"applications": applications_of_user(user.pk)}


def my_identity(request: HttpRequest, user: User) -> dict[str, Any]:
    """While SAML is configured: the BundID logins linked to the account and, until it is
    verified, the link to prove one's identity (no query otherwise)."""
    if not is_configured():
        return {"bundid_links": [], "bundid_step_up": None}
    step_up = None
    if user.assurance_level != User.AssuranceLevel.VERIFIED:
        query = urlencode({"next": request.get_full_path(), "level": verified_level()})
        step_up = f"{reverse('catalogue:saml-login')}?{query}"
    return {
        "bundid_links": list(SamlIdentity.objects.filter(user=user).order_by("pk")),
        "bundid_step_up": step_up,
    }
