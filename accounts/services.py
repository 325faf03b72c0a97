"""State changes of the Bürgerkonto (docs/architecture.md, convention 1).

Reports and their anonymisation belong to tracker.services (reports_attach_to_account,
account_delete); this module only changes the account itself.
"""

from __future__ import annotations

from django.db import transaction

from .models import User


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
