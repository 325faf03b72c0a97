"""Zuständigkeitsfinder: the same address gives the right office per level, for a Gemeinde
inside a Samtgemeinde (delegating to it) and for a verbandsfreie Stadt; overrides and the
demo region."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from boundaries.services import OutsideServiceArea, authorities_at
from catalogue.models import Service, ServiceOverride
from catalogue.responsibility import responsibilities, responsibility_at
from tests.catalogue.conftest import IN_AUEDORF, IN_LINDENHOF, IN_STADT, OUTSIDE, Region

pytestmark = pytest.mark.django_db

# One service per level: Hundesteuer (Gemeinde), Meldebescheinigung (Samtgemeinde),
# Schülerfahrkarte (Kreis).
CASES = [
    # place, service → expected office
    ("auedorf", "hundesteueranmeldung", "samtgemeinde"),
    ("auedorf", "meldebescheinigung", "samtgemeinde"),
    ("auedorf", "schuelerfahrkarte", "kreis"),
    ("stadt", "hundesteueranmeldung", "stadt"),
    ("stadt", "meldebescheinigung", "stadt"),  # verbandsfrei: the Stadt does SG tasks
    ("stadt", "schuelerfahrkarte", "kreis"),
]
POINTS = {"auedorf": IN_AUEDORF, "stadt": IN_STADT, "lindenhof": IN_LINDENHOF}


@pytest.mark.parametrize(("place", "slug", "office"), CASES)
def test_office_per_level_inside_and_outside_a_samtgemeinde(
    region: Region, catalogue: dict[str, Service], place: str, slug: str, office: str
) -> None:
    found = responsibility_at(catalogue[slug], POINTS[place])
    assert found.authority == getattr(region, office)


def test_delegation_is_explained_and_contact_comes_from_the_office(
    region: Region, catalogue: dict[str, Service]
) -> None:
    found = responsibility_at(catalogue["hundesteueranmeldung"], IN_AUEDORF)
    assert found.detail == "für Gemeinde Auedorf zuständig: Samtgemeinde Aue"
    assert found.email == "post@sg-aue.example.org"
    assert found.offered_online is True


def test_a_member_can_keep_a_service_itself(region: Region, catalogue: dict[str, Service]) -> None:
    dog_tax = catalogue["hundesteueranmeldung"]
    ServiceOverride.objects.create(
        service=dog_tax,
        authority=region.lindenhof,
        handled_by=region.lindenhof,
        contact_email="steuer@lindenhof.example.org",
    )
    found = responsibility_at(dog_tax, IN_LINDENHOF)
    assert found.authority == region.lindenhof
    assert found.email == "steuer@lindenhof.example.org"
    # The neighbour in the same Samtgemeinde still goes to the Samtgemeinde.
    assert responsibility_at(dog_tax, IN_AUEDORF).authority == region.samtgemeinde


def test_a_town_can_take_over_a_kreis_service(
    region: Region, catalogue: dict[str, Service]
) -> None:
    building = catalogue["bauantrag-auskunft"]
    ServiceOverride.objects.create(
        service=building, authority=region.stadt, handled_by=region.stadt
    )
    assert responsibility_at(building, IN_STADT).authority == region.stadt
    assert responsibility_at(building, IN_AUEDORF).authority == region.kreis


def test_an_authority_may_not_offer_a_service_online(
    region: Region, catalogue: dict[str, Service]
) -> None:
    dog_tax = catalogue["hundesteueranmeldung"]
    ServiceOverride.objects.create(
        service=dog_tax, authority=region.stadt, offered_online=False, fees="nach Satzung"
    )
    found = responsibility_at(dog_tax, IN_STADT)
    assert found.offered_online is False
    assert found.fees == "nach Satzung"
    assert responsibility_at(dog_tax, IN_AUEDORF).offered_online is True


def test_outside_the_service_area(region: Region, catalogue: dict[str, Service]) -> None:
    with pytest.raises(OutsideServiceArea):
        responsibility_at(catalogue["hundesteueranmeldung"], OUTSIDE)


def test_all_services_at_a_place_in_a_fixed_number_of_queries(
    region: Region,
    catalogue: dict[str, Service],
    django_assert_max_num_queries: Any,
) -> None:
    services = list(Service.objects.all())
    covering = authorities_at(IN_AUEDORF)
    with django_assert_max_num_queries(3):
        found = responsibilities(services, covering)
    assert len(found) == len(services)


def test_api_and_page_show_the_office(
    region: Region, catalogue: dict[str, Service], client: Client
) -> None:
    body = client.get(
        "/api/v1/services", {"q": "Hund", "lat": str(IN_AUEDORF.y), "lon": str(IN_AUEDORF.x)}
    ).json()
    first = body["results"][0]
    assert first["responsible"]["authority"]["slug"] == "sg-aue"
    assert first["responsible"]["detail"].startswith("für Gemeinde Auedorf")
    outside = client.get("/api/v1/services", {"q": "Hund", "lat": "52.0", "lon": "11.5"}).json()
    assert "außerhalb" in outside["place_error"]

    page = client.get(
        "/dienstleistungen/meldebescheinigung/", {"lat": str(IN_STADT.y), "lon": str(IN_STADT.x)}
    )
    assert "Ihre zuständige Stelle" in page.content.decode()
    assert "Stadt Frei" in page.content.decode()


def test_address_search_picks_the_place(
    region: Region, catalogue: dict[str, Service], client: Client
) -> None:
    # Our own place search (boundaries.places.search_places) finds the Gemeinde by name.
    page = client.get("/dienstleistungen/", {"q": "Hund", "ort": "Lindenhof"})
    html = page.content.decode()
    assert "Angezeigt für" in html
    assert "Samtgemeinde Aue" in html
    # The chosen place is remembered for the next page.
    detail = client.get("/dienstleistungen/schuelerfahrkarte/")
    assert "Landkreis Test" in detail.content.decode()
    unknown = client.get("/dienstleistungen/", {"q": "Hund", "ort": "Atlantis"})
    assert "keinen Ort gefunden" in unknown.content.decode()


@pytest.mark.django_db
def test_demo_region_routes_by_level() -> None:
    """On the real demo data: Auedorf (in Samtgemeinde Auetal) vs Heidestadt (verbandsfrei)."""
    from data.catalogue_seed import load_catalogue
    from data.demo import load_demo

    load_demo(commit=True)
    load_catalogue(commit=True)
    auedorf = Point(9.990095598688663, 53.20737969161947, srid=4326)
    heidestadt = Point(10.052966376734233, 53.274294303386256, srid=4326)
    services = {s.slug: s for s in Service.objects.all()}
    expected = {
        ("hundesteueranmeldung", "auedorf"): "demo-samtgemeinde-auetal",
        ("meldebescheinigung", "auedorf"): "demo-samtgemeinde-auetal",
        ("schuelerfahrkarte", "auedorf"): "demo-landkreis-heideland",
        ("bauantrag", "auedorf"): "demo-landkreis-heideland",
        ("hundesteueranmeldung", "heidestadt"): "demo-stadt-heidestadt",
        ("meldebescheinigung", "heidestadt"): "demo-stadt-heidestadt",
        ("schuelerfahrkarte", "heidestadt"): "demo-landkreis-heideland",
        ("bauantrag", "heidestadt"): "demo-stadt-heidestadt",  # own building supervision
    }
    points = {"auedorf": auedorf, "heidestadt": heidestadt}
    for (slug, place), authority in expected.items():
        assert responsibility_at(services[slug], points[place]).authority.slug == authority, (
            slug,
            place,
        )
    # Loading again creates nothing.
    assert sum(load_catalogue(commit=True).values()) == 0
    assert Service.objects.count() >= 25


def test_a_citizen_keeps_an_address_in_the_account(
    region: Region, catalogue: dict[str, Service], client: Client
) -> None:
    from catalogue.models import SavedPlace
    from tests.factories import UserFactory

    citizen = UserFactory.create()
    client.force_login(citizen)
    assert client.post("/dienstleistungen/anschrift/").status_code == 302  # no place chosen yet
    assert not SavedPlace.objects.exists()
    client.get("/dienstleistungen/", {"ort": "Lindenhof"})
    response = client.post("/dienstleistungen/anschrift/", {"next": "https://evil.example.org/"})
    assert response["Location"] == "/dienstleistungen/"
    saved = SavedPlace.objects.get(user=citizen)
    assert saved.label == "Gemeinde Lindenhof"

    # A new session (another device): the kept address is used at once.
    client.logout()
    client.force_login(citizen)
    page = client.get("/dienstleistungen/hundesteueranmeldung/").content.decode()
    assert "Angezeigt für: <strong>Gemeinde Lindenhof</strong>" in page
    assert "Samtgemeinde Aue" in page
    assert "Gemeinde Lindenhof" in client.get("/dienstleistungen/meine/").content.decode()

    client.post("/dienstleistungen/anschrift/", {"forget": "1"})
    assert not SavedPlace.objects.exists()
