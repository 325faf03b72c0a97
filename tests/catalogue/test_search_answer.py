"""The catalogue search's short answer (catalogue/search_answer.py): byte for byte what DRF's
renderer makes of the same hits, in German and English, with the same headers; everything
that is not the plain search (a place, bad input, another format) still answered by the DRF
view; and a search on a database connection the server has dropped still answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import ProgrammingError, connection
from django.test import Client
from rest_framework.renderers import JSONRenderer

from catalogue.models import Service
from catalogue.search import search_services
from core.dbread import fetch_all

pytestmark = pytest.mark.django_db

LISTED = (
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


def reference(text: str) -> bytes:
    """What DRF's JSONRenderer makes of the queryset search's hits."""
    results = []
    for service in search_services(text)[:50]:
        item: dict[str, Any] = {name: getattr(service, name) for name in LISTED}
        item["url"] = f"http://testserver/dienstleistungen/{service.slug}/"
        results.append(item)
    return JSONRenderer().render({"count": len(results), "results": results})


@pytest.fixture
def odd_service(catalogue: dict[str, Service]) -> Service:
    """A service whose texts hold everything JSON has to escape."""
    return Service.objects.create(
        slug="hundeschule-sonderfall",
        name='Hundeschule „Bello“ \\ "Spezial"',
        summary="Zeile\u2028Absatz\u2029Ende\tTab\x01Steuer äöüß € 😀",
        leika_key="99123456789000",
        level="kreis",
        fees="10,00 €\nje Hund",
        processing_time="</script>",
    )


@pytest.mark.usefixtures("odd_service")
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("text", ["Hund", "Hunde anmelden", "Müll Sofa", "zzz", ""])
def test_answer_is_byte_equal_to_drf_rendering(client: Client, language: str, text: str) -> None:
    response = client.get("/api/v1/services", {"q": text}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.content == reference(text)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.usefixtures("odd_service")
def test_escapes_like_drf() -> None:
    body = reference("Hundeschule")
    assert b"\\u2028" in body and b"\\u2029" in body and b"\\u0001" in body
    assert '„Bello“ \\\\ \\"Spezial\\"'.encode() in body


@pytest.mark.usefixtures("catalogue")
def test_short_answer_and_drf_view_agree(client: Client) -> None:
    """`?format=json` is left to DRF: the same bytes and headers come out."""
    short = client.get("/api/v1/services", {"q": "Hund"})
    full = client.get("/api/v1/services", {"q": "Hund", "format": "json"})
    assert full.status_code == 200
    assert short.content == full.content
    for header in ("Content-Type", "Allow", "Content-Language"):
        assert short[header] == full[header]


@pytest.mark.usefixtures("catalogue")
def test_other_requests_go_to_the_drf_view(client: Client) -> None:
    indented = client.get(
        "/api/v1/services", {"q": "Hund"}, HTTP_ACCEPT="application/json; indent=2"
    )
    assert indented.content.startswith(b'{\n  "count": ')
    assert client.get("/api/v1/services", {"q": "Hund"}, HTTP_ACCEPT="text/html").status_code == 406
    assert client.get("/api/v1/services", {"q": "Hund", "format": "xml"}).status_code == 404
    refused = client.get("/api/v1/services", {"q": "x" * 201})
    assert refused.status_code == 400
    assert "höchstens 200 Zeichen" in refused.json()["q"][0]
    with_place = client.get("/api/v1/services", {"q": "Hund", "lat": "53.3", "lon": "10.1"})
    assert with_place.status_code == 200
    assert "responsible" in with_place.json()["results"][0]
    head = client.head("/api/v1/services", {"q": "Hund"})
    assert head.status_code == 200 and head["Content-Type"] == "application/json"


def _drop_connection() -> None:
    """The server ends this process's database session, as a restart or failover would."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.parametrize("prepare", [False, True])
@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_is_replaced_and_the_read_answered(prepare: bool) -> None:
    connection.ensure_connection()
    dropped = connection.connection.info.backend_pid
    _drop_connection()
    setattr(connection, "health_check_done", False)  # noqa: B010 - a new request, old connection
    assert fetch_all("SELECT %s + 1", [41], prepare=prepare) == [(42,)]
    assert connection.connection.info.backend_pid != dropped
    assert fetch_all("SELECT %s + 1", [1], prepare=prepare) == [(2,)]


@pytest.mark.parametrize("prepare", [False, True])
@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_statement_itself_is_not_repeated(prepare: bool) -> None:
    connection.ensure_connection()
    setattr(connection, "health_check_done", False)  # noqa: B010 - not in django-stubs
    with pytest.raises(ProgrammingError):
        fetch_all("SELECT no_such_column FROM catalogue_service", [], prepare=prepare)
    assert fetch_all("SELECT %s + 1", [1], prepare=prepare) == [(2,)]  # still usable


@pytest.mark.usefixtures("catalogue")
@pytest.mark.django_db(transaction=True)
def test_the_search_is_planned_once_per_connection(
    client: Client, settings: Any, prepared_statements: Callable[[str], list[str]]
) -> None:
    """The search's statement is prepared on the first search and reused by the next ones
    (same answers); with DB_PREPARED_STATEMENTS off (an old pooler) nothing is prepared."""
    connection.close()
    settings.DB_PREPARED_STATEMENTS = False
    off = client.get("/api/v1/services", {"q": "Hund"}).content
    assert not prepared_statements("catalogue_service")
    settings.DB_PREPARED_STATEMENTS = True
    first = client.get("/api/v1/services", {"q": "Hund"}).content
    again = client.get("/api/v1/services", {"q": "Hund steuer"}).content
    prepared = prepared_statements("catalogue_service")
    assert len(prepared) == 1 and "to_tsquery" in prepared[0]
    assert first == off and b"hundesteuer" in again.lower()
    # Django's own queries on the connection are not prepared along with it.
    assert Service.objects.filter(is_active=True).count() > 0
    assert len(prepared_statements("catalogue_service")) == 1


@pytest.mark.usefixtures("catalogue")
def test_service_links_follow_the_host_asked_for(client: Client) -> None:
    """The absolute service URLs are kept per host and scheme, never handed to another host;
    a host outside ALLOWED_HOSTS is refused as on every other page."""

    def first_url(host: str, *, secure: bool = False) -> str:
        response = client.get("/api/v1/services", {"q": "Hund"}, HTTP_HOST=host, secure=secure)
        assert response.status_code == 200
        return str(response.json()["results"][0]["url"])

    assert first_url("localhost").startswith("http://localhost/dienstleistungen/")
    assert first_url("127.0.0.1:8000").startswith("http://127.0.0.1:8000/")
    assert first_url("localhost", secure=True).startswith("https://localhost/")
    assert first_url("localhost").startswith("http://localhost/")
    refused = client.get("/api/v1/services", {"q": "Hund"}, HTTP_HOST="evil.example")
    assert refused.status_code == 400
