"""The catalogue by Lebenslagen (first view) and A–Z (second view), seeded from the demo
catalogue (data.lebenslagen_spec)."""

from __future__ import annotations

import pytest
from django.test import Client

from catalogue.models import LifeSituation
from data.catalogue_seed import load_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    load_catalogue(commit=True)


def test_catalogue_starts_with_lebenslagen(client: Client, seeded: None) -> None:
    assert LifeSituation.objects.count() >= 8
    html = client.get("/dienstleistungen/").content.decode()
    assert 'aria-current="page">Nach Lebenslagen</a>' in html
    moving = html[html.index('id="lebenslage-umzug-und-wohnen"') :]
    moving = moving[: moving.index("</section>")]
    assert "Umzug und Wohnen" in moving
    assert 'href="/dienstleistungen/wohnsitz-anmeldung/"' in moving
    assert "Hundesteueranmeldung" not in moving
    # A service sits in several Lebenslagen.
    assert html.count('href="/dienstleistungen/meldebescheinigung/"') == 2


def test_a_to_z_is_the_second_view_and_search_still_works(client: Client, seeded: None) -> None:
    html = client.get("/dienstleistungen/?ansicht=a-z").content.decode()
    assert 'aria-current="page">Alle von A bis Z</a>' in html
    assert "Alle Dienstleistungen" in html
    assert html.index("Abfuhrkalender") < html.index("Wohngeldantrag")
    found = client.get("/dienstleistungen/?q=Hund").content.decode()
    assert "Hundesteueranmeldung" in found and "Nach Lebenslagen" in found
    bad = client.get("/dienstleistungen/?ansicht=bunt")
    assert bad.status_code == 400
    assert "ansicht" in bad.content.decode()


def test_lebenslagen_in_english(client: Client, seeded: None) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/dienstleistungen/").content.decode()
    assert "Moving and housing" in html
