"""German full-text search: everyday words find the right service first, via the stored,
GIN-indexed, weighted vector and the synonym table; the page and the API agree."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from catalogue.models import SearchSynonym, Service
from catalogue.search import build_tsquery, expand, query_words, search_services

pytestmark = pytest.mark.django_db


def names(text: str) -> list[str]:
    return [service.name for service in search_services(text)]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Hund", "Hundesteueranmeldung"),
        ("hund", "Hundesteueranmeldung"),
        ("Hunde anmelden", "Hundesteueranmeldung"),
        ("Müll", "Sperrmüll anmelden"),
        ("Sofa abholen", "Sperrmüll anmelden"),
        ("Umzug", "Wohnsitz anmelden (Ummeldung)"),
        ("Kita", "KiTa-Anmeldung"),
        ("Kindergarten", "KiTa-Anmeldung"),
        ("Schulbus", "Schülerfahrkarte"),
        ("Geburtsurkunde", "Geburtsurkunde"),
        ("Mietzuschuss", "Wohngeldantrag"),
        ("Firma gründen", "Gewerbeanmeldung"),
        ("heiraten", "Eheschließung anmelden"),
    ],
)
def test_everyday_words_find_the_service_first(text: str, first: str) -> None:
    assert names(text)[0] == first


@pytest.mark.usefixtures("catalogue")
def test_synonyms_widen_the_search() -> None:
    # "Umzug" also finds the Meldebescheinigung; "Auto" finds registration and parking.
    assert "Meldebescheinigung" in names("Umzug")
    auto = names("Auto")
    assert {"Fahrzeug zulassen", "Anwohnerparkausweis"} <= set(auto)


@pytest.mark.usefixtures("catalogue")
def test_a_synonym_added_by_an_authority_takes_effect_at_once() -> None:
    assert names("Bello") == []
    SearchSynonym.objects.create(term="bello", expansions="Hundesteuer")
    assert names("Bello")[0] == "Hundesteueranmeldung"


@pytest.mark.usefixtures("catalogue")
def test_words_are_combined_with_and_then_with_or() -> None:
    assert names("Hund Schule")  # no service has both: falls back to OR, still finds both
    assert names("Hund anmelden")[0] == "Hundesteueranmeldung"


@pytest.mark.usefixtures("catalogue")
def test_inactive_services_and_nonsense_find_nothing() -> None:
    Service.objects.filter(slug="hundesteueranmeldung").update(is_active=False)
    assert "Hundesteueranmeldung" not in names("Hund")
    assert names("xqzt") == []


def test_query_syntax_cannot_be_injected() -> None:
    words = query_words("Hund & ! | :* ( ) ' \" <-> Müll\\")
    assert words == ["hund", "müll"]
    assert build_tsquery([["hund", "hundesteuer"], ["müll"]]) == (
        "(hund:* | hundesteuer:*) & (müll:*)"
    )


@pytest.mark.usefixtures("catalogue")
def test_operators_in_the_query_are_harmless() -> None:
    for text in ["&&&", "Hund:* | !", "'; DROP TABLE catalogue_service; --", "a" * 500, "ß"]:
        list(search_services(text))


@pytest.mark.usefixtures("catalogue")
def test_expand_uses_the_synonym_table() -> None:
    assert expand(["hund", "xyz"]) == [["hund", "hundesteuer", "hundesteuermarke"], ["xyz"]]


@pytest.mark.usefixtures("catalogue")
def test_the_vector_is_weighted_and_indexed() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM catalogue_service WHERE slug = 'hundesteueranmeldung'"
        )
        (vector,) = cursor.fetchone()
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'catalogue_service' "
            "AND indexname = 'service_search_gin'"
        )
        (index,) = cursor.fetchone()
    assert "'hundesteueranmeld':1A" in vector
    assert "USING gin (search_vector)" in index


@pytest.mark.usefixtures("catalogue")
def test_search_page_lists_hits_in_german(client: Client) -> None:
    response = client.get("/dienstleistungen/", {"q": "Hund"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Treffer für „Hund“" in html
    assert html.index("Hundesteueranmeldung") < html.index("Hundesteuer abmelden")


@pytest.mark.usefixtures("catalogue")
def test_search_api(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/services", {"q": "Hund"})
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["slug"] == "hundesteueranmeldung"
    assert body["results"][0]["is_online"] is True
    assert "responsible" not in body["results"][0]
    assert client.get("/api/v1/services", {"q": "x" * 201}).status_code == 400
    assert (
        client.get("/api/v1/services", {"q": "Hund", "lat": "abc", "lon": "10"}).status_code == 400
    )
    assert (
        client.get("/api/v1/services", {"q": "Hund", "lat": "95", "lon": "10"}).status_code == 400
    )


@pytest.mark.usefixtures("catalogue")
def test_service_detail_api_includes_the_form(client: Client) -> None:
    body = client.get("/api/v1/services/hundesteueranmeldung").json()
    assert body["form_schema"]["properties"]["hund_name"]["title"] == "Name des Hundes"
    assert client.get("/api/v1/services/gibt-es-nicht").status_code == 404
