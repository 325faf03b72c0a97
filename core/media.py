"""Uploaded files (photos, attachments, logos) served by the app, with permissions.

Nothing under MEDIA_URL is served blindly: each app registers an access rule for the storage
prefix it owns (`register("photos/", rule)` in its AppConfig.ready()); a path without a rule
is a 404. A rule answers PUBLIC (anyone, cacheable), PRIVATE (this visitor only, not cached)
or DENIED (404, so nobody learns that the file exists). A signed link (`signed_url`) opens one
file for anyone holding it, for MEDIA_SIGNATURE_MAX_AGE seconds: the reporter's tracking page
and the copy an authority's Open311 system fetches use them.

The bytes come from Django's default storage (local disk or S3-compatible object storage,
core.storage), or, with MEDIA_X_ACCEL_REDIRECT / MEDIA_X_SENDFILE set, from nginx or
Apache after the app has checked the permission (docs/deployment.md).
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable
from enum import Enum
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

DEFAULT_SIGNATURE_MAX_AGE = 30 * 24 * 3600
_SALT = "core.media"


class Access(Enum):
    DENIED = "denied"
    PUBLIC = "public"
    PRIVATE = "private"


AccessRule = Callable[[HttpRequest, str], Access]
_RULES: dict[str, AccessRule] = {}


def register(prefix: str, rule: AccessRule) -> None:
    """Let `rule` decide about every stored name under `prefix` (e.g. "photos/")."""
    _RULES[prefix] = rule


def _rule_for(name: str) -> AccessRule | None:
    matches = [prefix for prefix in _RULES if name.startswith(prefix)]
    return _RULES[max(matches, key=len)] if matches else None


def sign(name: str) -> str:
    """The signature part ("timestamp:signature") of a signed link to `name`."""
    return signing.TimestampSigner(salt=_SALT).sign(name)[len(name) + 1 :]


def signed_url(name: str) -> str:
    """MEDIA_URL path of `name` with a signature that opens it for anyone holding the link."""
    return f"{settings.MEDIA_URL}{quote(name)}?t={quote(sign(name))}"


def _signature_valid(name: str, token: str) -> bool:
    max_age = int(getattr(settings, "MEDIA_SIGNATURE_MAX_AGE", DEFAULT_SIGNATURE_MAX_AGE))
    try:
        signing.TimestampSigner(salt=_SALT).unsign(f"{name}:{token}", max_age=max_age)
    except signing.BadSignature:
        return False
    return True


def _clean(name: str) -> str:
    """A stored name as the storage knows it; Http404 for anything that tries to leave it."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        raise Http404
    normalised = posixpath.normpath(name)
    if normalised != name or normalised.startswith(".."):
        raise Http404
    return name


def _access(request: HttpRequest, name: str) -> Access:
    token = request.GET.get("t", "")
    if token and _signature_valid(name, token):
        return Access.PRIVATE
    rule = _rule_for(name)
    return rule(request, name) if rule is not None else Access.DENIED


def _response(name: str) -> HttpResponseBase:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = getattr(settings, "MEDIA_X_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{quote(name)}"
        return response
    if getattr(settings, "MEDIA_X_SENDFILE", False):
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = default_storage.path(name)
        return response
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=content_type)


@require_GET
def serve(request: HttpRequest, name: str) -> HttpResponseBase:
    name = _clean(name)
    access = _access(request, name)
    if access is Access.DENIED or not default_storage.exists(name):
        raise Http404
    response = _response(name)
    response["X-Content-Type-Options"] = "nosniff"
    if not response["Content-Type"].startswith("image/"):
        # Never rendered in the portal's origin: documents are downloads.
        filename = quote(posixpath.basename(name))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    if access is Access.PUBLIC:
        response["Cache-Control"] = "public, max-age=86400"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
