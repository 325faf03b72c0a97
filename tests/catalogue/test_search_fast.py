"""The list endpoints' search (catalogue.search.find_services: one written-out query, the
synonym table kept per process) finds the same services in the same order as the queryset
search, and a synonym edited in the admin takes effect at once in the same process."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.models import SearchSynonym, Service
from catalogue.search import find_services, search_services

pytestmark = pytest.mark.django_db

FIELDS = ("slug", "name", "summary", "level", "is_online", "fees")


@pytest.mark.parametrize(
    "text", ["Hund", "Hund anmelden", "Umzug", "Müll Sofa", "Ausweis verloren xyz", "", "zzz"]
)
def test_same_hits_and_order_as_the_queryset_search(
    catalogue: dict[str, Service], text: str
) -> None:
    expected = [s.slug for s in search_services(text)[:50]]
    found = find_services(text, limit=50, fields=FIELDS)
    assert [s.slug for s in found] == expected
    if found:
        first = found[0]
        reference = Service.objects.get(pk=first.pk)
        assert (first.name, first.summary, first.level, first.fees) == (
            reference.name,
            reference.summary,
            reference.level,
            reference.fees,
        )


def test_synonym_edit_applies_at_once(catalogue: dict[str, Service], settings: Any) -> None:
    settings.SEARCH_SYNONYM_CACHE_SECONDS = 3600.0
    assert [s.slug for s in find_services("Bello", limit=5, fields=FIELDS)] == []
    SearchSynonym.objects.create(term="bello", expansions="hundesteuer")
    found = [s.slug for s in find_services("Bello", limit=5, fields=FIELDS)]
    assert "hundesteueranmeldung" in found
