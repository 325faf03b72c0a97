"""Template tags of the Bürgerkonto pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def login_options(context: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, URL) of every configured external login (accounts.sections), each returning to
    the page the login page was asked to return to — only when that is a page of ours."""
    request = context.get("request")
    if request is None:
        return []
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return sections.login_options(request, next_url)
