"""Short paths through the middleware: one dispatcher for the views that answer before the
session/CSRF/login stack.

A few GET endpoints are read far more often than anything else and cost little beyond their
SQL: base-map tiles, the catalogue search, the public map's GeoJSON pages, the staff work
queue's polling. For them the middleware that provides sessions, CSRF, login, messages,
lockout and CSP was most of a fast answer's time (bench/basemap.py, bench/catalogue_search.py,
bench/map_read.py, bench/queue_read.py). `ShortPathMiddleware`, placed right after
SecurityMiddleware (which still adds its headers on the way out), looks up the view of a
GET/HEAD request — only for paths under settings.SHORT_PATH_PREFIXES or equal to the path of
one of settings.SHORT_PATH_URL_NAMES, so every other request passes after one check — and, if
the view carries a short path, lets it answer:

* `@public_data` views (the same answer for everybody) are answered here in the request's
  language, as LocaleMiddleware would, with `Vary: Accept-Language`. Such a view may carry
  `public_answer`, a function of the request that answers the common case more directly
  (e.g. without DRF) or returns None for the view to answer.
* `@short_path(handler)` views name a handler — a callable or its dotted path, imported on
  first use so that a view need not import its handler — called as
  `handler(request, match, get_response)`; it answers itself or returns
  `get_response(request)`, the full way (tracker.map_fastpath, tracker.staff.fastpath).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import (
    NoReverseMatch,
    Resolver404,
    ResolverMatch,
    URLResolver,
    get_resolver,
    get_urlconf,
    reverse,
)
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

GetResponse = Callable[[HttpRequest], HttpResponse]
Handler = Callable[[HttpRequest, ResolverMatch, GetResponse], HttpResponse]

MARK = "mm_short_path"
MAX_KEPT_MATCHES = 1024
T = TypeVar("T")


def short_path(handler: Handler | str) -> Callable[[T], T]:
    """Marks a view (function or class-based) as answered by `handler` on the short way."""

    def mark(view: T) -> T:
        setattr(view, MARK, handler)
        return view

    return mark


def answer_public_data(
    request: HttpRequest, match: ResolverMatch, get_response: GetResponse
) -> HttpResponse:
    """A `@public_data` view's answer, in the language the request asks for."""
    language = translation.get_language_from_request(request)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    try:
        answer = _attribute(match.func, "public_answer")
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


def public_data(view: T) -> T:
    """Marks a view as public data, the same for everybody, for the short way."""
    return short_path(answer_public_data)(view)


def _attribute(func: Any, name: str) -> Any:
    """An attribute of the view function or, for a class-based view, of its class."""
    value = getattr(func, name, None)
    return value if value is not None else getattr(getattr(func, "view_class", None), name, None)


def _reversed(names: list[str]) -> list[str]:
    paths = []
    for name in names:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue  # not in this URLconf
    return paths


class ShortPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.SHORT_PATH_PREFIXES)
        self.exact: frozenset[str] | None = None
        self.resolver: URLResolver | None = None
        self.matches: dict[str, ResolverMatch | None] = {}
        self.handlers: dict[str, Handler] = {}

    def resolve(self, path: str) -> ResolverMatch | None:
        """The path's URL match (None: no view), kept per path: resolving walks every URL
        pattern, a few dozen microseconds on every tile and search."""
        if path in self.matches:
            return self.matches[path]
        assert self.resolver is not None  # noqa: S101 - set by _current() first
        try:
            match: ResolverMatch | None = self.resolver.resolve(path)
        except Resolver404:
            match = None
        if len(self.matches) >= MAX_KEPT_MATCHES:
            self.matches = {}
        self.matches[path] = match
        return match

    def _current(self) -> frozenset[str]:
        """The exact paths of SHORT_PATH_URL_NAMES; what was kept is forgotten when the
        URLconf changes (Django makes a new resolver then)."""
        resolver = get_resolver(get_urlconf())
        if resolver is not self.resolver or self.exact is None:
            self.resolver, self.matches = resolver, {}
            self.exact = frozenset(_reversed(settings.SHORT_PATH_URL_NAMES))
        return self.exact

    def handler(self, func: Any) -> Handler | None:
        handler = _attribute(func, MARK)
        if isinstance(handler, str):
            found = self.handlers.get(handler)
            if found is None:
                found = self.handlers[handler] = import_string(handler)
            return found
        return handler

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        exact = self._current()
        if not (path.startswith(self.prefixes) or request.path in exact):
            return self.get_response(request)
        match = self.resolve(path)
        handler = self.handler(match.func) if match is not None else None
        if match is None or handler is None:
            return self.get_response(request)  # the full way (Django's own 404 page)
        return handler(request, match, self.get_response)
