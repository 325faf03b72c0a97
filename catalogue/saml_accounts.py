"""State change behind a SAML (BundID) login: find or link the account, keep the identity link
and raise the account's level — the same account fields the OpenID Connect path fills
(email, first and last name, assurance_level), never lowering a level.

- A citizen who is logged in and proves her identity (step-up) links the BundID identity to
  her account; an identity already linked to another account is refused.
- A known identity logs into its account.
- An unknown identity gets a new account from BundID's e-mail address — unless an account with
  that address exists: like the OpenID Connect path (SOCIALACCOUNT_EMAIL_AUTHENTICATION off),
  an address asserted by the provider never opens an existing account; the citizen logs in
  there and links BundID from the step-up page.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .identity_models import SamlIdentity
from .saml import (
    BPK2,
    EMAIL,
    FAMILY_NAME,
    GIVEN_NAME,
    LEVEL_RANK,
    account_level,
    asserted_level,
    attribute,
    verified_level,
)
from .services import user_assurance_raise


class SamlRefused(PermissionDenied):
    """The answer was valid, but it can't log anyone in; `message` says why (German)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def subject_of(session_info: dict[str, Any]) -> str:
    """BundID's stable identifier (bPK2), else a persistent NameID."""
    bpk2 = attribute(session_info, BPK2)
    if bpk2:
        return str(bpk2)
    name_id = session_info.get("name_id")
    if name_id is not None and str(getattr(name_id, "format", "")).endswith(":persistent"):
        return str(getattr(name_id, "text", "") or "")
    return ""


def saml_sign_in(session_info: dict[str, Any], *, connect_to: User | None) -> tuple[User, str]:
    """The account for a verified SAML answer and the level it stated (basic/substantial/high).
    Raises SamlRefused with a message for the citizen."""
    issuer = str(session_info.get("issuer") or "")
    subject = subject_of(session_info)
    if not issuer or not subject:
        raise SamlRefused(
            _("Der Identitätsanbieter hat keine dauerhafte Kennung (bPK2) übermittelt.")
        )
    level = asserted_level(session_info)
    with transaction.atomic():
        identity = (
            SamlIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if connect_to is not None:
            if identity is not None and identity.user_id != connect_to.pk:
                raise SamlRefused(
                    _(
                        "Diese BundID ist bereits mit einem anderen Bürgerkonto verknüpft. "
                        "Bitte melden Sie sich dort an."
                    )
                )
            user = connect_to
        elif identity is not None:
            user = identity.user
        else:
            user = _new_account(session_info)
        if not user.is_active:
            raise SamlRefused(_("Dieses Bürgerkonto ist gesperrt."))
        _take_names(user, session_info, level)
        SamlIdentity.objects.update_or_create(
            issuer=issuer,
            subject=subject,
            defaults={"user": user, "level": level, "last_login_at": timezone.now()},
        )
        user_assurance_raise(user, account_level(level))
    return user, level


def _new_account(session_info: dict[str, Any]) -> User:
    email = str(attribute(session_info, EMAIL)).lower()
    if not email:
        raise SamlRefused(
            _(
                "BundID hat keine E-Mail-Adresse übermittelt. Bitte registrieren Sie sich "
                "zuerst mit Ihrer E-Mail-Adresse und weisen Sie danach Ihre Identität nach."
            )
        )
    if User.objects.filter(email__iexact=email).exists():
        raise SamlRefused(
            _(
                "Es gibt bereits ein Bürgerkonto mit der E-Mail-Adresse %(email)s. Bitte melden "
                "Sie sich dort an und verknüpfen Sie BundID unter „Identität nachweisen“."
            )
            % {"email": email}
        )
    user = User.objects.create_user(email=email, password=None)
    EmailAddress.objects.create(
        user=user, email=email, primary=True, verified=settings.SAML_EMAIL_VERIFIED
    )
    return user


def _take_names(user: User, session_info: dict[str, Any], level: str) -> None:
    """Names from an eID (verified level) replace what was typed; otherwise they only fill
    empty fields."""
    authoritative = LEVEL_RANK[level] >= LEVEL_RANK[verified_level()]
    changed = []
    for field, names in (("first_name", GIVEN_NAME), ("last_name", FAMILY_NAME)):
        value = str(attribute(session_info, names))[:150]
        current = getattr(user, field)
        if value and value != current and (authoritative or not current):
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
