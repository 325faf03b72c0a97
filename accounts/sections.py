"""What other apps show on the Bürgerkonto's own pages, without accounts importing them.

Apps above accounts register in their AppConfig.ready():

* a part of "Meine Anliegen": a template included in the page, and a function that gives its
  context (the tracker: the citizen's reports, paginated; the catalogue: applications);
* facts for the account deletion page (the tracker: how many reports stay, anonymised);
* ways to log in with an external identity (the catalogue: BundID over OpenID Connect and/or
  SAML), shown on the login page (`{% login_options as options %}`, accounts_tags) with the
  same partial as the catalogue's step-up page (accounts/includes/identity_options.html);
* a step after the logout: where the browser goes once the portal session has ended, to end
  the session at the identity provider as well (the catalogue: SAML single logout at BundID).

Parts appear in `order`; their context keys are merged into the page's context, so their
templates are written like any include of the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import User

Context = dict[str, Any]


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[[HttpRequest, User], Context]
    order: int = 100


_SECTIONS: dict[str, Section] = {}
_DELETION_FACTS: dict[str, Callable[[User], Context]] = {}
# (label, URL) of each configured way to log in, for the page to return to afterwards.
LoginOptions = Callable[[HttpRequest, str], list[tuple[str, str]]]
_LOGIN_OPTIONS: dict[str, LoginOptions] = {}
# Called before the local logout with the URL the logout ends on; gives the URL to go on to
# (which returns to that one later) when this login needs a logout elsewhere, else None.
LogoutStep = Callable[[HttpRequest, str], str | None]
_LOGOUT_STEPS: dict[str, LogoutStep] = {}


def register(section: Section) -> None:
    """A part of "Meine Anliegen" (registering the same key again replaces it)."""
    _SECTIONS[section.key] = section


def register_deletion_facts(key: str, facts: Callable[[User], Context]) -> None:
    """Context for the account deletion page (e.g. {"report_count": 3})."""
    _DELETION_FACTS[key] = facts


def register_login_options(key: str, options: LoginOptions) -> None:
    """Ways to log in with an external identity (registering the same key again replaces it);
    the function gives none when its provider is not configured."""
    _LOGIN_OPTIONS[key] = options


def login_options(request: HttpRequest, next_url: str) -> list[tuple[str, str]]:
    return [
        option
        for key in sorted(_LOGIN_OPTIONS)
        for option in _LOGIN_OPTIONS[key](request, next_url)
    ]


def register_logout_step(key: str, step: LogoutStep) -> None:
    """A logout elsewhere that follows ours (registering the same key again replaces it)."""
    _LOGOUT_STEPS[key] = step


def logout_step(request: HttpRequest, next_url: str) -> str | None:
    """The first registered step that wants to follow this logout, else None."""
    for key in sorted(_LOGOUT_STEPS):
        url = _LOGOUT_STEPS[key](request, next_url)
        if url:
            return url
    return None


def my_items_context(request: HttpRequest, user: User) -> Context:
    sections = sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    context: Context = {"sections": [s.template for s in sections]}
    for section in sections:
        context.update(section.context(request, user))
    return context


def deletion_facts(user: User) -> Context:
    context: Context = {}
    for facts in _DELETION_FACTS.values():
        context.update(facts(user))
    return context
