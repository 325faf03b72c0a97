"""Verified identity from an OpenID Connect provider (BundID, a Land's service account).

django-allauth's `openid_connect` provider does the protocol (discovery, PKCE, code exchange,
ID token checks against the provider's keys). Here we only read the assurance the provider
states — by default the ID token's `acr` claim, or another claim named in the app's settings
(`assurance_claim`) — and raise User.assurance_level to "verified" when it is one of the
values that stand for a checked identity (`verified_values`, default VERIFIED_ACR_VALUES).
The level is only ever raised here, never lowered, and only from openid_connect apps.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User

from .services import user_assurance_raise

# eIDAS "substantial"/"high" and the STORK QAA levels BundID reports for ELSTER certificates
# (3) and the Online-Ausweis (4). Username/password logins (level 1) are not verified.
VERIFIED_ACR_VALUES = (
    "http://eidas.europa.eu/LoA/substantial",
    "http://eidas.europa.eu/LoA/high",
    "STORK-QAA-Level-3",
    "STORK-QAA-Level-4",
    "substantial",
    "high",
)


def assurance_from(extra_data: dict[str, Any], app_settings: dict[str, Any]) -> str | None:
    """ "verified" when the provider's claims state a checked identity, else None."""
    claim = app_settings.get("assurance_claim") or "acr"
    accepted = set(app_settings.get("verified_values") or VERIFIED_ACR_VALUES)
    # allauth keeps the decoded ID token and the userinfo answer side by side.
    for source in ("id_token", "userinfo"):
        claims = extra_data.get(source)
        if isinstance(claims, dict) and str(claims.get(claim, "")) in accepted:
            return User.AssuranceLevel.VERIFIED
    return None


def apply_social_login(sociallogin: Any) -> bool:
    """Raise the level of the account behind an OpenID Connect login (or connection)."""
    account = getattr(sociallogin, "account", None)
    user = getattr(sociallogin, "user", None)
    if account is None or user is None or user.pk is None:
        return False
    if account.provider != "openid_connect" and account.get_provider().id != "openid_connect":
        return False
    app = account.get_provider().app
    level = assurance_from(account.extra_data or {}, dict(app.settings or {}))
    return level is not None and user_assurance_raise(user, level)


def on_user_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        apply_social_login(sociallogin)


def on_social_account_changed(
    sender: Any, request: HttpRequest, sociallogin: Any, **kwargs: Any
) -> None:
    apply_social_login(sociallogin)


def _oidc_login(request: HttpRequest, query: dict[str, str]) -> tuple[str, str] | None:
    """(provider name, login URL with the query) of the first OpenID Connect app; None when
    no provider is configured."""
    from allauth.socialaccount.adapter import get_adapter

    apps = list(get_adapter().list_apps(request, provider="openid_connect"))
    if not apps:
        return None
    try:
        url = reverse("openid_connect_login", kwargs={"provider_id": apps[0].provider_id})
    except NoReverseMatch:
        return None
    return apps[0].name, f"{url}?{urlencode(query)}"


def step_up_url(request: HttpRequest, next_url: str) -> str | None:
    """Where a logged-in citizen proves their identity: the first OpenID Connect app's login
    in "connect" mode (links the eID to this account). None when no provider is configured."""
    found = _oidc_login(request, {"process": "connect", "next": next_url})
    return found[1] if found else None


def login_options(request: HttpRequest, next_url: str) -> list[tuple[str, str]]:
    """(label, URL) of every configured external login for the login page (registered with
    accounts.sections): OpenID Connect and/or SAML (BundID) at the plain login level; a first
    login creates the account, see docs/catalogue.md."""
    from .saml import is_configured

    back = {"next": next_url} if next_url else {}
    options = []
    oidc = _oidc_login(request, {"process": "login", **back})
    if oidc:
        label = _("Mit %(provider)s / Online-Ausweis anmelden") % {"provider": oidc[0]}
        options.append((str(label), oidc[1]))
    if is_configured():
        url = reverse("catalogue:saml-login")
        label = _("Mit %(provider)s anmelden") % {"provider": settings.SAML_PROVIDER_NAME}
        options.append((str(label), f"{url}?{urlencode(back)}" if back else url))
    return options


def step_up_options(request: HttpRequest, next_url: str) -> list[tuple[str, str]]:
    """(label, URL) of every configured way to prove one's identity: OpenID Connect and/or
    SAML (BundID). The SAML login asks the IdP for the level that makes an account verified."""
    from .saml import is_configured, verified_level

    options = []
    oidc = step_up_url(request, next_url)
    if oidc:
        options.append((str(_("Mit BundID / Online-Ausweis nachweisen")), oidc))
    if is_configured():
        query = urlencode({"next": next_url, "level": verified_level()})
        label = _("Mit %(provider)s (SAML) nachweisen") % {"provider": settings.SAML_PROVIDER_NAME}
        options.append((str(label), f"{reverse('catalogue:saml-login')}?{query}"))
    return options


def connect_signals() -> None:
    from allauth.account.signals import user_logged_in
    from allauth.socialaccount.signals import social_account_added, social_account_updated

    user_logged_in.connect(on_user_logged_in, dispatch_uid="catalogue-oidc-login")
    social_account_added.connect(on_social_account_changed, dispatch_uid="catalogue-oidc-added")
    social_account_updated.connect(on_social_account_changed, dispatch_uid="catalogue-oidc-updated")
