"""A short way through the middleware for base-map tiles.

A tile is public data, the same for everybody: no session, language, CSRF, login, messages or
lockout applies to it. Placed right after SecurityMiddleware (which still adds its headers on
the way out), this middleware answers `/tiles/base/…` and `/tiles/extra/…` itself and skips
the rest of the stack, which was most of a cached tile's time and the larger part of what an
uncached tile costs beyond its SQL (bench/basemap.py). Every other request passes through
untouched after one prefix check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from .basemap_views import base_tile_view, pmtiles_tile_view

TILE_PREFIXES = ("/tiles/base/", "/tiles/extra/")
TILE_VIEWS = (base_tile_view, pmtiles_tile_view)


class BaseMapTileMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(TILE_PREFIXES):
            return self.get_response(request)
        try:
            match = resolve(path)
        except Resolver404:
            return self.get_response(request)  # Django's own 404 page
        if match.func not in TILE_VIEWS:
            return self.get_response(request)
        return match.func(request, *match.args, **match.kwargs)
