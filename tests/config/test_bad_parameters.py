"""Malformed query parameters on every family of endpoints: a 400 with a German message
naming the parameter (JSON for the API, the German 400 page or a form error for pages), or
the filter is ignored where that is the page's promise (the staff queue) — never a 500.

The inputs are the ones that reached PostgreSQL or int() before: NUL characters, superscript
digits (str.isdigit() accepts "¹"), huge integers and dates at the ends of the calendar."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.tracker.staff.fixtures import World, make_world

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
FAR_FUTURE = "9999-12-31T23:59:59-14:00"


@pytest.fixture
def world(db: None) -> World:
    world = make_world()
    world.report()
    return world


def client(world: World, who: str) -> Client:
    if who == "anonymous":
        return Client(raise_request_exception=False)
    user = getattr(world, who)
    token = Token.objects.create(user=user)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")


API_CASES = [
    # public REST API
    ("anonymous", "/api/v1/places", {"q": "a\x00b"}, "q", "Nullzeichen"),
    ("anonymous", "/api/v1/reports", {"category": "\x00"}, "category", "Nullzeichen"),
    ("anonymous", "/api/v1/reports", {"status": "new,\x00"}, "status", "Nullzeichen"),
    ("anonymous", "/api/v1/reports", {"since": "¹"}, "since", "Datum"),
    ("anonymous", "/api/v1/reports", {"since": HUGE}, "since", "1 bis 36500"),
    ("anonymous", "/api/v1/reports", {"since": FAR_FUTURE}, "since", "Datum zwischen"),
    ("anonymous", "/api/v1/reports", {"since": "0001-01-01"}, "since", "Datum zwischen"),
    ("anonymous", "/api/v1/reports", {"page": "¹"}, "page", "ganze Zahl"),
    ("anonymous", "/api/v1/reports", {"page_size": HUGE}, "page_size", "zu groß"),
    ("anonymous", "/api/v1/roads", {"bbox": "\x00"}, "bbox", "Nullzeichen"),
    ("anonymous", "/api/v1/assets", {"bbox": "10,53,10.1,53.1", "type": "\x00"}, "type", "Null"),
    (
        "anonymous",
        "/api/v1/boundaries",
        {"bbox": "10,53,10.1,53.1", "level": "\x00"},
        "level",
        "Null",
    ),
    ("anonymous", "/api/v1/services", {"q": "a\x00b"}, "q", "Nullzeichen"),
    # staff API (token of a dispatcher)
    ("dispatcher", "/api/v1/staff/reports", {"team": "¹"}, "team", "Team-IDs als Zahlen"),
    ("dispatcher", "/api/v1/staff/reports", {"team": HUGE}, "team", "Team-IDs als Zahlen"),
    ("dispatcher", "/api/v1/staff/reports", {"assigned_to": "¹"}, "assigned_to", "Personen-ID"),
    ("dispatcher", "/api/v1/staff/reports", {"road": "\x00"}, "road", "Null"),
    ("dispatcher", "/api/v1/staff/reports", {"page": HUGE}, "page", "zu groß"),
    # planning API (token of a planner)
    ("planner", "/api/v1/planning/stats", {"until": "9999-12-31"}, "until", "Datum zwischen"),
    ("planner", "/api/v1/planning/bins", {"since": "0001-01-01"}, "since", "Datum zwischen"),
    ("planner", "/api/v1/planning/bins", {"cell_size": "¹"}, "cell_size", "ganze Zahl"),
    ("planner", "/api/v1/planning/bins", {"cell_size": HUGE}, "cell_size", "25 bis 50000"),
    ("planner", "/api/v1/planning/bins", {"shape": "\x00"}, "shape", "Nullzeichen"),
    ("planner", "/api/v1/planning/hotspots", {"bbox": "\x00"}, "bbox", "Nullzeichen"),
]


@pytest.mark.parametrize(("who", "url", "query", "field", "text"), API_CASES)
def test_api_refuses_with_a_german_message(
    world: World, who: str, url: str, query: dict[str, str], field: str, text: str
) -> None:
    response = client(world, who).get(url, query)
    assert response.status_code == 400, response.content
    # The planning API reports form errors with their codes ({"message", "code"}).
    messages = " ".join(m if isinstance(m, str) else m["message"] for m in response.json()[field])
    assert text in messages


def test_the_map_page_answers_nul_with_the_german_400_page(world: World) -> None:
    response = Client(raise_request_exception=False).get("/karte/", {"category": "\x00"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ungültige Anfrage" in html
    assert "category: Nullzeichen sind nicht erlaubt." in html


def test_the_map_page_still_opens_a_link_with_a_retired_category(world: World) -> None:
    response = Client().get("/karte/", {"category": "gibt-es-nicht", "period": "¹"})
    assert response.status_code == 200


@pytest.mark.parametrize("query", [{"ort": "a\x00b"}, {"q": "\x00"}])
def test_the_service_search_page_answers_nul_with_the_400_page(
    world: World, query: dict[str, str]
) -> None:
    response = Client(raise_request_exception=False).get("/dienstleistungen/", query)
    assert response.status_code == 400
    assert "Nullzeichen sind nicht erlaubt" in response.content.decode()


def test_the_staff_queue_ignores_broken_filters_so_old_bookmarks_open(world: World) -> None:
    staff = Client(raise_request_exception=False)
    staff.force_login(world.dispatcher)
    response = staff.get(
        "/arbeit/", {"team": "¹", "road": "\x00", "category": "\x00", "page": HUGE, "sort": "¹"}
    )
    assert response.status_code == 200
    assert "Schlagloch vor Hausnummer 3" in response.content.decode()


def test_planning_pages_show_a_date_at_the_end_of_the_calendar_as_a_form_error(
    world: World,
) -> None:
    planner = Client(raise_request_exception=False)
    planner.force_login(world.planner)
    for url in ("/planung/", "/planung/statistik/", "/planung/brennpunkte/"):
        response = planner.get(url, {"until": "9999-12-31", "eps": "¹"})
        assert response.status_code < 500, url
        assert "Datum zwischen 1000-01-01 und 8999-12-31" in response.content.decode(), url


def test_the_refusal_follows_the_visitors_language(world: World) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/reports", {"page": "¹"})
    assert response.status_code == 400
    assert response.json()["page"] == ["page: a whole number is expected."]
