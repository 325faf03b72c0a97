"""Error pages in the visitor's language, on base.html, each with a way back.

Django's defaults are bare English pages; these render templates/<code>.html with the request
context. The 500 page must never fail itself: if rendering with the full layout breaks (the
database or a template tag may be what failed), a plain German page is sent instead."""

from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader

from core.params import InvalidParameters

logger = logging.getLogger(__name__)

PLAIN_500 = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
    "<title>Serverfehler – Mängelmelder</title></head><body><main>"
    "<h1>Ein Fehler ist aufgetreten</h1>"
    "<p>Die Seite konnte wegen eines Fehlers auf unserem Server nicht angezeigt werden. "
    "Bitte versuchen Sie es später noch einmal.</p>"
    '<p><a href="/">Zur Startseite</a></p></main></body></html>'
)


def _reason(exception: BaseException | None) -> str:
    """The message a view passed to PermissionDenied/Http404 (ours are German and meant for the
    visitor); Django's own resolver messages are dicts and technical, so those are dropped."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) else ""


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> str:
    return loader.render_to_string(template, context, request)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    # Only our own refusals of query parameters carry a message meant for the visitor; Django's
    # (SuspiciousOperation and friends) are technical English.
    reason = str(exception) if isinstance(exception, InvalidParameters) else ""
    return HttpResponseBadRequest(_render(request, "400.html", {"reason": reason}))


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return HttpResponseForbidden(_render(request, "403.html", {"reason": _reason(exception)}))


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    # No reason here: Django's own 404 messages are technical English (resolver, get_object_or_404).
    return HttpResponseNotFound(_render(request, "404.html", {"request_path": request.path}))


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseServerError(_render(request, "500.html", {}))
    except Exception:  # the error page itself must not fail; log why the layout did
        logger.exception("500.html could not be rendered; sending the plain error page")
        return HttpResponseServerError(PLAIN_500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: mostly an expired form (cookies blocked or the page open for long)."""
    return HttpResponseForbidden(_render(request, "403_csrf.html", {}))
