"""Request-level guards that must act before any view or parser reads the body."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class RequestBodyCapMiddleware:
    """Refuses a request whose declared body exceeds REQUEST_BODY_MAX_BYTES with 413, before
    Django spools it to disk. The largest legitimate body is a report with five photos.

    Bodies without Content-Length (chunked) are left to gunicorn/nginx (client_max_body_size)
    and Django's own DATA_UPLOAD_MAX_MEMORY_SIZE for non-file fields."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = int(getattr(settings, "REQUEST_BODY_MAX_BYTES", 0) or 0)
        try:
            length = int(declared) if declared.isascii() else -1
        except ValueError:
            length = -1
        if length < 0:
            return HttpResponse(
                _("Ungültige Längenangabe der Anfrage."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        if limit and length > limit:
            megabytes = limit // (1024 * 1024)
            return HttpResponse(
                _(
                    "Die Anfrage ist zu groß (höchstens %(mb)d MB). Bitte senden Sie weniger "
                    "oder kleinere Fotos."
                )
                % {"mb": megabytes},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
