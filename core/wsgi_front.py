"""A WSGI front before Django's handler for the hottest public read (the catalogue search):
it answers without building a request object or running the middleware, with the status line
and headers Django itself sent for the same kind of request.

Why: the search's statement takes about half a millisecond; Django's handler (request object,
URL prefix, signals) and the middleware ahead of the short path (core/fastpath.py) added a
third to it again (bench/catalogue_search.py, docs/catalogue.md).

How the answer stays Django's:

* Only the views named in settings.WSGI_FRONT (URL name → dotted path of an answer function),
  only GET without a body (a body is for Django's size check), only without a SCRIPT_NAME.
  The answer function looks at the WSGI environ (no database) and returns None — "not mine,
  Django answers" — or a function that makes the body.
* The status line and headers are not written here, they are learned: a request the front
  could answer, but for which it has no headers yet, goes to Django, and the front keeps what
  Django answered if it is a 200 without cookies. They are kept per path, scheme and host (what
  the host check, the absolute URLs and the security headers read) and language (the language
  cookie and Accept-Language: what Content-Language is made of). So `Vary`,
  `Content-Language`, `Allow`, `X-Content-Type-Options`, `Referrer-Policy`, HSTS and the
  rest are Django's own, and a host Django refused (400) is never learned.
* What Django's handler does around a request that matters here is done here too:
  `close_old_connections()` before and after (database connections: age, health check,
  dropped after errors) — what its receivers of `request_started`/`request_finished` do for
  an answer that uses no cache, no URL resolver and no query log (sending the signals cost a
  tenth of the answer's own Python time). `HANDLED_RECEIVERS` names those receivers; a test
  fails when another one is connected, so a new receiver is not skipped unnoticed.
* If making the body raises, Django answers instead (its error handling, log and error page).

Keep in mind: a middleware that one day makes this answer's headers depend on another request
header (CORS by `Origin`, say) must have that header added to the key (`_KEY_META`), or the
front would repeat the headers learned for another value of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
Answer = Callable[[Environ], Callable[[], bytes] | None]
Learned = tuple[str, list[tuple[str, str]]]

MAX_LEARNED = 256
# Django's receivers of request_started / request_finished, as "module.name": what the front
# does instead of sending the signals (see above).
HANDLED_RECEIVERS = {
    "request_started": {"django.db.reset_queries", "django.db.close_old_connections"},
    "request_finished": {
        "django.db.close_old_connections",
        "django.core.cache.close_caches",
        "django.core.handlers.base.reset_urlconf",
    },
}
# What Django reads of a request for its host check and absolute URLs (build_absolute_uri:
# host, forwarded host and port, scheme and the proxy's scheme header).
HOST_META = (
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
)
# What the learned headers depend on besides the path and the language cookie (see above).
_KEY_META = (*HOST_META, "HTTP_ACCEPT_LANGUAGE")


class WSGIFront:
    def __init__(self, application: Callable[[Environ, StartResponse], Iterable[bytes]]) -> None:
        self.application = application
        self.answers: dict[str, Answer] | None = None
        self.learned: dict[tuple[Any, ...], Learned] = {}
        self._language_cookie: re.Pattern[str] | None = None

    def _answers(self) -> dict[str, Answer]:
        if self.answers is None:
            answers = {}
            for name, dotted in getattr(settings, "WSGI_FRONT", {}).items():
                try:
                    answers[reverse(name)] = import_string(dotted)
                except NoReverseMatch:
                    continue  # not in this URLconf
            cookie = re.escape(settings.LANGUAGE_COOKIE_NAME)
            self._language_cookie = re.compile(rf"(?:^|;)\s*{cookie}=([^;]*)")
            self.answers = answers
        return self.answers

    def _key(self, environ: Environ) -> tuple[Any, ...]:
        assert self._language_cookie is not None  # noqa: S101 - set by _answers() first
        cookies = environ.get("HTTP_COOKIE", "")
        found = self._language_cookie.search(cookies) if cookies else None
        language = found.group(1) if found else None
        return (environ["PATH_INFO"], language, *(environ.get(name) for name in _KEY_META))

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("SCRIPT_NAME")
            or environ.get("CONTENT_LENGTH", "") not in ("", "0")
            or "HTTP_TRANSFER_ENCODING" in environ
        ):  # a body is Django's to check (config.middleware.RequestBodyCapMiddleware)
            return self.application(environ, start_response)
        answer = self._answers().get(environ.get("PATH_INFO", ""))
        make = answer(environ) if answer is not None else None
        if make is None:
            return self.application(environ, start_response)
        key = self._key(environ)
        learned = self.learned.get(key)
        if learned is None:
            return self.application(environ, self._learning(key, start_response))
        close_old_connections()
        try:
            body = make()
        except Exception:  # Django answers, with its error handling and logging
            close_old_connections()
            return self.application(environ, start_response)
        status, headers = learned
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        close_old_connections()
        return [body]

    def _learning(self, key: tuple[Any, ...], start_response: StartResponse) -> StartResponse:
        def learn(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = {name.lower() for name, _value in headers}
            if status.startswith("200 ") and exc_info is None and "set-cookie" not in names:
                if len(self.learned) >= MAX_LEARNED:
                    self.learned.clear()
                kept = [(n, v) for n, v in headers if n.lower() != "content-length"]
                self.learned[key] = (status, kept)
            return start_response(status, headers, exc_info)

        return learn
