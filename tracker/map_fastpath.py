"""The public map's GeoJSON pages on the short way (core.fastpath).

`GET /api/v1/reports` is public data: the same for everybody in a language, so session,
CSRF, login, messages and lockout do not apply to it; PostGIS builds the whole page
(tracker.map_geojson). The short-path dispatcher hands the request over right after
SecurityMiddleware (which still adds its headers on the way out); this handler picks the
language the way LocaleMiddleware does and answers the page itself, skipping the rest of the
stack and DRF, which were a good part of what the endpoint cost beyond its SQL
(bench/map_read.py). HEAD, POSTs to the same URL and storages whose file URLs are not
prefix + name go the full way.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import ResolverMatch
from django.utils import translation
from rest_framework.exceptions import ValidationError

from core.errors import error_dict
from core.replica import STICKY_COOKIE, replica_reads

from . import map_geojson
from .map_page import map_page_response


def map_page(
    request: HttpRequest, match: ResolverMatch, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    """The map page's answer, or the full way's."""
    if request.method != "GET":
        return get_response(request)
    prefix = map_geojson.media_prefix()
    if prefix is None:
        return get_response(request)
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
