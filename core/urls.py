"""The one absolute-URL helper: links in mails, webhooks and Open311 requests point at the
portal's public address (settings.PORTAL_URL), never at whatever host a worker runs on."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the portal; a URL that is already absolute (e.g. a photo in S3) stays."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.PORTAL_URL}{path}"
