"""`{{ photo.thumbnail|signed_media_url }}`: a link that opens one stored file for whoever
holds it (core.media.signed_url), for pages reached through a secret link."""

from __future__ import annotations

from typing import Any

from django import template

from core.media import signed_url

register = template.Library()


@register.filter
def signed_media_url(field: Any) -> str:
    name = getattr(field, "name", field)
    return signed_url(str(name)) if name else ""
