"""`{% feed_alternates %}`: <link rel="alternate"> for the feeds registered for this page
(core.feeds)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join

from core.feeds import feeds_for

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_alternates(context: dict[str, Any]) -> str:
    request = context.get("request")
    if request is None:
        return ""
    rows = []
    for feed in feeds_for(request.path):
        rows.append(("application/rss+xml", str(feed.title), feed.rss_url()))
        if feed.atom_url is not None:
            rows.append(("application/atom+xml", str(feed.title), feed.atom_url()))
    return format_html_join("\n  ", '<link rel="alternate" type="{}" title="{}" href="{}">', rows)
