"""Every GET error answers with the spec's error document (400/404), in the asked format;
bad input is never a 500, and a real bug is a logged 500, not a masked 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tracker.open311 import selectors

from . import schemas
from .conftest import json_body, make_report, xml_body

pytestmark = pytest.mark.django_db


def errors(response: Any, fmt: str, status: int) -> list[dict[str, Any]]:
    if fmt == "json":
        return json_body(response, schemas.ERRORS, status)
    return xml_body(response, "errors", schemas.ERRORS, status)


CASES = [
    ("requests", {"start_date": "gestern"}, 400),
    ("requests", {"end_date": "2026-02-30T00:00:00Z"}, 400),
    ("requests", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2025-12-01T00:00:00Z"}, 400),
    ("requests", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, 400),
    ("requests", {"status": "kaputt"}, 400),
    ("requests", {"jurisdiction_id": "nirgendwo"}, 404),
    ("requests", {"extensions": "true", "bbox": "1,2,3"}, 400),
    ("requests", {"extensions": "true", "bbox": "10.2,53.0,10.0,53.1"}, 400),
    ("requests", {"extensions": "true", "page": "0"}, 400),
    ("requests", {"extensions": "true", "page_size": "viele"}, 400),
    ("requests", {"extensions": "true", "updated_after": "bald"}, 400),
    ("services", {"jurisdiction_id": "00000"}, 404),
    ("services/gibt-es-nicht", {}, 404),
    ("services/nur-in-b", {"jurisdiction_id": "gemeinde-a"}, 404),
    ("requests/999999", {}, 404),
    ("requests/abc", {}, 404),
    ("requests/99999999999999999999999", {}, 404),
    ("tokens/gibt-es-nicht", {}, 404),
    ("discovery", {"jurisdiction_id": "x"}, 200),  # discovery ignores it
]


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(("path", "params", "status"), CASES)
def test_get_errors(
    client: Client, region: dict, fmt: str, path: str, params: dict, status: int
) -> None:
    response = client.get(f"/open311/v2/{path}.{fmt}", params)
    if status == 200:
        assert response.status_code == 200
        return
    found = errors(response, fmt, status)
    assert found[0]["code"] == status


def test_unknown_format_and_path_and_method(client: Client, region: dict) -> None:
    response = client.get("/open311/v2/services.csv")
    assert xml_body(response, "errors", schemas.ERRORS, 400)[0]["code"] == 400
    assert client.get("/open311/v2/nichts.json").status_code == 404
    json_body(client.get("/open311/v2/nichts.json"), schemas.ERRORS, 404)
    xml_body(client.get("/open311/v2/nichts"), "errors", schemas.ERRORS, 404)
    xml_body(client.get("/open311/v2/"), "errors", schemas.ERRORS, 404)
    response = client.post("/open311/v2/services.xml")
    xml_body(response, "errors", schemas.ERRORS, 400)
    response = client.delete("/open311/v2/requests.json")
    json_body(response, schemas.ERRORS, 400)
    head = client.head("/open311/v2/services.xml")
    assert head.status_code == 200 and head["Content-Type"] == "text/xml; charset=utf-8"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_bug_is_a_logged_500_in_the_spec_format(
    client: Client,
    region: dict,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "service_requests", broken)
    found = errors(client.get(f"/open311/v2/requests.{fmt}"), fmt, 500)
    assert "fire" not in found[0]["description"]  # no internals for the client
    assert "database on fire" in caplog.text  # but the traceback is in the log


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("start_date=9999-12-31T23:59:59Z", 200, None),
        ("end_date=0001-01-01T00:00:00Z", 200, None),
        ("extensions=true&page=%C2%B9", 400, "page"),
        ("extensions=true&page_size=99999999999999999999", 400, "page_size"),
        ("service_request_id=%C2%B9", 200, None),
        ("start_date=2026-13-45", 400, "start_date"),
    ],
)
def test_odd_values_get_a_real_answer(
    client: Client, region: dict, query: str, status: int, words: str | None
) -> None:
    response = client.get(f"/open311/v2/requests.json?{query}")
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json() == []
    else:
        found = errors(response, "json", status)
        assert words in found[0]["description"]


def test_an_id_in_other_digits_is_not_found(client: Client, region: dict) -> None:
    found = errors(client.get("/open311/v2/requests/%C2%B9.json"), "json", 404)
    assert "service_request_id" in found[0]["description"]


def test_characters_xml_cannot_carry_are_dropped(client: Client, region: dict) -> None:
    make_report(region["muell"], description="Müll\x0b mit\x1b Steuerzeichen")
    data = xml_body(
        client.get("/open311/v2/requests.xml"), "service_requests", schemas.SERVICE_REQUESTS
    )
    assert data[0]["description"] == "Müll mit Steuerzeichen"
