"""The WSGI front (core/wsgi_front.py) answers the plain catalogue search before Django's
handler, with the status and headers Django sent for the same kind of request: byte for byte
Django's answer, in German and English, over HTTP and HTTPS; everything else (bad input, a
refused host, a place, another format) answered by Django every time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from catalogue.models import Service
from core.wsgi_front import HANDLED_RECEIVERS, WSGIFront

# The front closes old database connections as Django's handler does, which a test transaction
# would not survive: these tests commit.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalogue")]


@dataclass
class Answer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class Counting:
    """Django's handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        return self.handler(environ, start_response)


def call(app: Any, query: str, **headers: str) -> Answer:
    environ = RequestFactory().get(f"/api/v1/services?{query}").environ
    environ.update({"HTTP_" + name.upper(): value for name, value in headers.items()})
    seen: dict[str, Any] = {}

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc: Any = None
    ) -> None:
        seen.update(status=status, headers=response_headers)

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    kept = sorted((n, v) for n, v in seen["headers"] if n != "Content-Length")
    return Answer(seen["status"], kept, body)


@pytest.fixture
def front() -> Iterator[tuple[WSGIFront, Counting]]:
    django = Counting()
    yield WSGIFront(django), django


CASES = [
    ({"q": "Hund"}, {}),
    ({"q": "Müll Sofa"}, {"accept_language": "en-GB,en;q=0.8"}),
    ({"q": "Personalausweis"}, {"cookie": "sessionid=abc; django_language=en"}),
    ({"q": "Hund anmelden"}, {"host": "localhost", "x_forwarded_proto": "https"}),
    ({"q": "zzz"}, {"accept": "application/json"}),
    ({"q": ""}, {}),
]


@pytest.mark.parametrize(("params", "headers"), CASES)
def test_the_front_answers_as_django_does(
    front: tuple[WSGIFront, Counting], params: dict[str, str], headers: dict[str, str]
) -> None:
    app, django = front
    query = urlencode(params)
    reference = call(WSGIHandler(), query, **headers)
    first = call(app, query, **headers)  # Django answers, the front learns its headers
    second = call(app, query, **headers)  # the front answers
    third = call(app, query, **headers)
    assert django.calls == 1
    assert reference.status == first.status == second.status == third.status == "200 OK"
    assert reference.body == first.body == second.body == third.body
    assert reference.headers == first.headers == second.headers == third.headers
    header_names = {name for name, _value in second.headers}
    assert {"Content-Language", "Vary", "Allow", "X-Content-Type-Options"} <= header_names


def test_languages_are_told_apart(front: tuple[WSGIFront, Counting]) -> None:
    app, _django = front
    query = urlencode({"q": "Hund"})
    for _round in range(2):
        german = call(app, query, accept_language="de-DE,de;q=0.9")
        english = call(app, query, accept_language="en-US,en;q=0.9")
        cookie = call(app, query, accept_language="de-DE", cookie="django_language=en")
        assert dict(german.headers)["Content-Language"] == "de"
        assert dict(english.headers)["Content-Language"] == "en"
        assert dict(cookie.headers)["Content-Language"] == "en"


def test_a_changed_catalogue_is_answered_at_once(front: tuple[WSGIFront, Counting]) -> None:
    """Only the headers are learned, never an answer."""
    app, _django = front
    query = urlencode({"q": "Schlittschuhverleih"})
    assert b'"count":0' in call(app, query).body
    assert b'"count":0' in call(app, query).body
    service = Service.objects.filter(is_active=True).first()
    assert service is not None
    service.name = "Schlittschuhverleih am Stadtteich"
    service.save()
    assert b'"count":1' in call(app, query).body


@pytest.mark.parametrize(
    ("query", "headers", "status", "text"),
    [
        (urlencode({"q": "x" * 201}), {}, "400", "höchstens 200 Zeichen"),
        (urlencode({"q": "Hund"}), {"host": "evil.example"}, "400", ""),
        (urlencode({"q": "Hund", "lat": "53.3", "lon": "10.4"}), {}, "200", "responsible"),
        (urlencode({"q": "Hund", "format": "json"}), {}, "200", "results"),
        (urlencode({"q": "Hund"}), {"accept": "application/json; indent=4"}, "200", '\n    "'),
        (urlencode({"q": "Hund"}), {"transfer_encoding": "chunked"}, "200", "results"),
    ],
)
def test_other_requests_reach_django_every_time(
    front: tuple[WSGIFront, Counting], query: str, headers: dict[str, str], status: str, text: str
) -> None:
    app, django = front
    for _round in range(3):
        answer = call(app, query, **headers)
        assert answer.status.startswith(status)
        assert text in answer.body.decode()
    assert django.calls == 3


def test_no_request_signal_receiver_is_skipped() -> None:
    """The front does what Django's receivers of the request signals do; another receiver (a
    monitoring library, say) would be skipped by it, so it has to be added there first."""
    for name, signal in (
        ("request_started", signals.request_started),
        ("request_finished", signals.request_finished),
    ):
        live = {f"{r.__module__}.{r.__qualname__}" for r in signal._live_receivers(None)[0]}
        assert live == HANDLED_RECEIVERS[name]
