"""The catalogue search's answer as bytes: `GET /api/v1/services?q=` without a place.

The most frequent call of the Serviceportal and public data, the same for everybody. Its
database query costs well under a millisecond for most searches, so what Django REST
framework adds around it (request wrapper, content negotiation, permission and throttle
checks, the renderer) was as much again (bench/catalogue_search.py). Here the rows go
straight into a JSON body, byte for byte what `ServiceListView` (and DRF's JSONRenderer)
answers: compact separators, non-ASCII as UTF-8, U+2028/U+2029 escaped, the same keys in the
same order, `Allow` as DRF sends it.

Only the plain case is answered here: a GET/HEAD with nothing but `q`, a valid `q`, and an
`Accept` header that DRF would answer with plain JSON. Everything else (a place, bad input and
its 400, `?format=`, `Accept: …; indent=4`) returns None and goes to the DRF view, so its
answers do not change either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import orjson
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse

from core import params
from core.wsgi_front import HOST_META

from .search import QUERY_MAX_CHARS, columns, find_statements, hit_rows

MAX_RESULTS = 50
# What a search hit shows (and the Zuständigkeitsfinder reads): not the long texts, the form
# or the search vector, which the list would fetch for nothing.
LIST_FIELDS = (
    "slug",
    "name",
    "summary",
    "leika_key",
    "level",
    "min_assurance",
    "is_online",
    "fees",
    "processing_time",
)
# What DRF's APIView puts in `Allow` for a view with only get().
ALLOW = "GET, HEAD, OPTIONS"
_SLUG = "__slug__"
MAX_KEPT_HOSTS = 64
_absolute: dict[tuple[object, ...], tuple[str, str]] = {}


def _host_key(prefix: str, meta: dict[str, Any]) -> tuple[object, ...]:
    """The key of the absolute URLs kept per process: the script prefix and what the request
    says of its host and scheme."""
    return (prefix, *(meta.get(name) for name in HOST_META))


def service_url_parts(request: HttpRequest) -> tuple[str, str]:
    """A service page's absolute URL as (before, after) the slug, for this request's host:
    one reverse() and build_absolute_uri() (with the host check) per script prefix and what
    the request says of its host and scheme — the same few values on every search, so kept
    per process (bounded)."""
    key = _host_key(get_script_prefix(), request.META)
    parts = _absolute.get(key)
    if parts is None:
        before, _, after = reverse("catalogue:service", args=[_SLUG]).partition(_SLUG)
        parts = (request.build_absolute_uri(before), after)  # DisallowedHost: not kept
        if len(_absolute) >= MAX_KEPT_HOSTS:
            _absolute.clear()
        _absolute[key] = parts
    return parts


# What the list shows of each hit, in this order: LIST_FIELDS and the page's URL, built in
# the statement itself, so each row goes into the answer as it comes.
_KEYS = (*LIST_FIELDS, "url")
_SELECT = columns(LIST_FIELDS) + ', %s || "slug" || %s'
# U+2028 and U+2029 in UTF-8.
_SEPARATORS = re.compile(b"\xe2\x80[\xa8\xa9]")


def _escape(match: re.Match[bytes]) -> bytes:
    return b"\\u2028" if match.group().endswith(b"\xa8") else b"\\u2029"


def render(data: Any) -> bytes:
    """JSON bytes exactly as DRF's JSONRenderer writes them (UNICODE_JSON, COMPACT_JSON,
    STRICT_JSON: no spaces, non-ASCII as UTF-8, control characters escaped, U+2028/U+2029
    escaped for JavaScript), ten times faster: orjson writes the same bytes but leaves
    U+2028/U+2029 as they are."""
    return _SEPARATORS.sub(_escape, orjson.dumps(data))


def answer_statements(query: str, before: str, after: str) -> list[tuple[str, list[Any]]]:
    """The statements behind hits(), for the bench's raw baseline."""
    return find_statements(query, limit=MAX_RESULTS, select=_SELECT, params=(before, after))


def hits(query: str, before: str, after: str) -> list[dict[str, Any]]:
    """The search's hits as the list shows them: LIST_FIELDS and `url`."""
    rows = hit_rows(query, limit=MAX_RESULTS, select=_SELECT, params=(before, after))
    return [dict(zip(_KEYS, row, strict=False)) for row in rows]


def _body(query: str, before: str, after: str) -> bytes:
    """The plain search's JSON body."""
    results = hits(query, before, after)
    return render({"count": len(results), "results": results})


def _simple_q(raw: str) -> str | None:
    """`q` of a query string that is `q=…` alone in ASCII, decoded as QueryDict would
    (UTF-8, undecodable bytes replaced); None for any other query string."""
    if raw.startswith("q=") and raw.isascii() and "&" not in raw:
        return unquote_plus(raw[2:], encoding="utf-8", errors="replace")
    return None


def _valid(raw: str) -> str | None:
    """The checked `q`, or None where the DRF view answers 400 with its message."""
    try:
        return params.text(raw, "q", max_length=QUERY_MAX_CHARS)
    except ValidationError:
        return None


def _plain_accept(accept: str) -> bool:
    """Whether DRF answers this Accept header with plain, compact JSON."""
    return not accept or (
        "indent" not in accept
        and ("application/json" in accept or "*/*" in accept or "application/*" in accept)
    )


def front_answer(environ: dict[str, Any]) -> Callable[[], bytes] | None:
    """For the WSGI front (core/wsgi_front.py, settings.WSGI_FRONT): the body of the plain
    search `?q=…` (the query string as one `q` in ASCII, a valid `q`, plain JSON accepted, a
    host whose URLs are kept already), or None for Django to answer. Looks at the environ only;
    the returned function runs the search."""
    raw = _simple_q(environ.get("QUERY_STRING", ""))
    if raw is None or not _plain_accept(environ.get("HTTP_ACCEPT", "")):
        return None
    parts = _absolute.get(_host_key("/", environ))
    query = _valid(raw)
    if parts is None or query is None:  # a host not checked yet, bad input: Django answers
        return None
    return lambda: _body(query, *parts)


def _plain_query(request: HttpRequest) -> str | None:
    """The raw `q` if DRF would answer this request with plain, compact JSON from get() (a
    GET/HEAD with nothing but one `q`), else None. The common `q=…` alone is read straight
    from the query string, as QueryDict would decode it (UTF-8, undecodable bytes replaced)."""
    if request.method not in ("GET", "HEAD"):
        return None
    if not _plain_accept(request.META.get("HTTP_ACCEPT", "")):
        return None
    simple = _simple_q(request.META.get("QUERY_STRING", ""))
    if simple is not None:
        return simple
    query = request.GET
    if len(query) > 1 or (query and "q" not in query) or len(query.getlist("q")) > 1:
        return None
    return query.get("q", "")


def search_answer(request: HttpRequest) -> HttpResponse | None:
    """The plain search's response, or None for the DRF view to answer."""
    raw = _plain_query(request)
    query = _valid(raw) if raw is not None else None
    if query is None:
        return None
    response = HttpResponse(
        _body(query, *service_url_parts(request)), content_type="application/json"
    )
    response["Allow"] = ALLOW
    return response
