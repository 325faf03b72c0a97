"""A short way through the middleware for public data (`@public_data` views).

Some endpoints answer with public data, the same for everybody: base-map tiles, the catalogue
search. No session, CSRF, login, messages, lockout or CSP applies to them, and the middleware
that provides those was most of a fast answer's time (bench/basemap.py,
bench/catalogue_search.py). Placed right after SecurityMiddleware (which still adds its headers
on the way out), `PublicDataMiddleware` answers GET/HEAD requests for a view marked
`@public_data` itself, in the language the request asks for (as LocaleMiddleware would, with
`Vary: Accept-Language`). A view may carry `public_answer`, a function of the request that
answers the common case more directly (e.g. without DRF) or returns None for the view to
answer. Only paths under settings.PUBLIC_DATA_PREFIXES are looked up, so every
other request passes through after one prefix check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, URLResolver, get_resolver, get_urlconf
from django.utils import translation
from django.utils.cache import patch_vary_headers

MARK = "mm_public_data"
MAX_KEPT_MATCHES = 1024
T = TypeVar("T")


def public_data(view: T) -> T:
    """Marks a view (function or class-based) as public data for the short way."""
    setattr(view, MARK, True)
    return view


def _is_public(func: Any) -> bool:
    return bool(
        getattr(func, MARK, False) or getattr(getattr(func, "view_class", None), MARK, False)
    )


def _answer(func: Any) -> Callable[[HttpRequest], HttpResponse | None] | None:
    """The view's `public_answer`, if it has one (on the function or its class)."""
    answer = getattr(func, "public_answer", None)
    return answer or getattr(getattr(func, "view_class", None), "public_answer", None)


class PublicDataMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.PUBLIC_DATA_PREFIXES)
        self.resolver: URLResolver | None = None
        self.matches: dict[str, ResolverMatch | None] = {}

    def resolve(self, path: str) -> ResolverMatch | None:
        """The path's URL match (None: no view), kept per path: resolving walks every URL
        pattern, a few dozen microseconds on every tile and search. Forgotten when the URLconf
        changes (Django makes a new resolver then) and when too many paths were kept."""
        resolver = get_resolver(get_urlconf())
        if resolver is not self.resolver:
            self.resolver, self.matches = resolver, {}
        if path in self.matches:
            return self.matches[path]
        try:
            match: ResolverMatch | None = resolver.resolve(path)
        except Resolver404:
            match = None
        if len(self.matches) >= MAX_KEPT_MATCHES:
            self.matches = {}
        self.matches[path] = match
        return match

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method not in ("GET", "HEAD") or not path.startswith(self.prefixes):
            return self.get_response(request)
        match = self.resolve(path)
        if match is None:
            return self.get_response(request)  # Django's own 404 page
        if not _is_public(match.func):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            answer = _answer(match.func)
            response = answer(request) if answer is not None else None
            if response is None:
                response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # DRF and template responses
        finally:
            translation.deactivate()
        patch_vary_headers(response, ("Accept-Language",))
        response.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
