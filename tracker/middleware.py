"""A short way through the middleware for the public map's GeoJSON pages.

`GET /api/v1/reports` is public data: the same for everybody in a language, so session,
CSRF, login, messages and lockout do not apply to it; PostGIS builds the whole page
(tracker.map_geojson). Placed right after SecurityMiddleware (which still adds its headers
on the way out), this middleware picks the language the way LocaleMiddleware does and answers
the page itself, skipping the rest of the stack and DRF, which were a good part of what the
endpoint cost beyond its SQL (bench/map_read.py). Every other request, POSTs to the same URL
and storages whose file URLs are not prefix + name pass through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from rest_framework.exceptions import ValidationError

from core.errors import error_dict
from core.replica import STICKY_COOKIE, replica_reads

from . import map_geojson
from .map_page import map_page_response


class MapPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.path is None:
            self.path = reverse("api:reports")
        if request.method != "GET" or request.path != self.path:
            return self.get_response(request)
        prefix = map_geojson.media_prefix()
        if prefix is None:
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        # From the read replica, unless this browser has just written (core/replica.py).
        reads = nullcontext() if STICKY_COOKIE in request.COOKIES else replica_reads()
        with translation.override(language), reads:
            try:
                response = map_page_response(request, prefix)
            except DjangoValidationError as exc:
                response = JsonResponse(error_dict(exc), status=400)
            except ValidationError as exc:
                response = JsonResponse(exc.detail, status=400)
        response.headers.setdefault("Content-Language", language)
        return response
