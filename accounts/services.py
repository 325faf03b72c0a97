"""State changes of the Bürgerkonto (docs/architecture.md, convention 1).

This module changes the account itself; what other apps keep about the person they erase in
answer to accounts.signals.account_erasing (see account_delete).
"""

from __future__ import annotations

from django.db import transaction

from boundaries.models import Authority

from .models import ADMIN_SITE_ROLES, Membership, User
from .signals import account_erasing


def user_profile_update(user: User, *, display_name: str, preferred_language: str) -> User:
    """Change what the citizen may edit about themselves: how they are addressed and in which
    language the portal and its emails speak to them."""
    languages = {code for code, _label in User._meta.get_field("preferred_language").choices or ()}
    if preferred_language not in languages:
        raise ValueError(f"Unsupported language: {preferred_language!r}")
    with transaction.atomic():
        user.display_name = display_name.strip()[:150]
        user.preferred_language = preferred_language
        user.save(update_fields=["display_name", "preferred_language"])
    return user


def account_delete(user: User) -> None:
    """DSGVO erasure (Art. 17): every app erases what it keeps about the person (the signal,
    in this transaction: reports stay, anonymised, for the authorities), then the account
    goes. If any receiver fails, nothing is erased."""
    with transaction.atomic():
        account_erasing.send(sender=User, user=user)
        user.delete()


def membership_grant(user: User, authority: Authority, role: str) -> Membership:
    """Give a person a role at an authority. Authority admins also get into the Django admin
    (is_staff), where they see only their authority's objects (accounts.admin_scope)."""
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, authority=authority, role=role
        )
        if role in ADMIN_SITE_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership


def membership_revoke(membership: Membership) -> None:
    """Take a role away; without any admin role left, the person leaves the Django admin too
    (superusers stay)."""
    with transaction.atomic():
        user = membership.user
        membership.delete()
        still_admin = Membership.objects.filter(user=user, role__in=ADMIN_SITE_ROLES).exists()
        if user.is_staff and not user.is_superuser and not still_admin:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
