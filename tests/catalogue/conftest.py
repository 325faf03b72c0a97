"""A small region for the catalogue tests: a Kreis with a Samtgemeinde (two member Gemeinden
that delegate to it) and a verbandsfreie Stadt, plus a few catalogue services.

    10.0        10.1        10.2        10.3   (lon)
 53.1 +-----------+-----------+-----------+
      | Stadt     | Auedorf   | Lindenhof |    Kreis covers all of it;
      | (frei)    |  (SG)     |   (SG)    |    Samtgemeinde = Auedorf + Lindenhof
 53.0 +-----------+-----------+-----------+
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from PIL import Image

from accounts.models import User
from boundaries.models import Authority, Level
from catalogue.models import FeeRule, SearchSynonym, Service
from data import catalogue_spec
from data.catalogue_seed import _service_values
from tests.factories import UserFactory, box, territory
from tests.fitconnect.server import FitConnectServer

IN_STADT = Point(10.05, 53.05, srid=4326)
IN_AUEDORF = Point(10.15, 53.05, srid=4326)
IN_LINDENHOF = Point(10.25, 53.05, srid=4326)
OUTSIDE = Point(11.5, 52.0, srid=4326)


@dataclass(frozen=True)
class Region:
    kreis: Authority
    samtgemeinde: Authority
    stadt: Authority
    auedorf: Authority
    lindenhof: Authority


@pytest.fixture
def region() -> Region:
    kreis = territory(
        "Landkreis Test", Level.KREIS, box(10.0, 53.0, 10.3, 53.1), ags="99001", slug="kreis"
    )
    samtgemeinde = territory(
        "Samtgemeinde Aue",
        Level.SAMTGEMEINDE,
        box(10.1, 53.0, 10.3, 53.1),
        parent=kreis,
        slug="sg-aue",
        email="post@sg-aue.example.org",
    )
    stadt = territory(
        "Stadt Frei",
        Level.GEMEINDE,
        box(10.0, 53.0, 10.1, 53.1),
        parent=kreis,
        ags="99001001",
        slug="stadt-frei",
    )
    auedorf = territory(
        "Gemeinde Auedorf",
        Level.GEMEINDE,
        box(10.1, 53.0, 10.2, 53.1),
        parent=samtgemeinde,
        delegates_to=samtgemeinde,
        ags="99001002",
        slug="auedorf",
    )
    lindenhof = territory(
        "Gemeinde Lindenhof",
        Level.GEMEINDE,
        box(10.2, 53.0, 10.3, 53.1),
        parent=samtgemeinde,
        delegates_to=samtgemeinde,
        ags="99001003",
        slug="lindenhof",
    )
    return Region(kreis, samtgemeinde, stadt, auedorf, lindenhof)


@pytest.fixture
def catalogue() -> dict[str, Service]:
    """The demo catalogue's services, synonyms and default fees (no demo authorities)."""
    services = {}
    for spec in catalogue_spec.SERVICES:
        services[spec.slug] = Service.objects.create(slug=spec.slug, **_service_values(spec))
        if spec.fee is not None:
            FeeRule.objects.create(service=services[spec.slug], amount=spec.fee, label=spec.name)
    SearchSynonym.objects.bulk_create(
        SearchSynonym(term=term, expansions=", ".join(expansions))
        for term, expansions in catalogue_spec.SYNONYMS.items()
    )
    return services


@pytest.fixture
def citizen() -> User:
    return UserFactory.create(email="erika@example.org")


@pytest.fixture
def verified_citizen() -> User:
    return UserFactory.create(
        email="verified@example.org", assurance_level=User.AssuranceLevel.VERIFIED
    )


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

DOG_FORM = {
    "halter_name": "Erika Mustermann",
    "hund_name": "Bello",
    "rasse": "Dackel",
    "haltung_seit": "2026-01-15",
}


# --- FIT-Connect (test_fitconnect.py, test_fitconnect_trust.py) ------------------------------

ARS_STADT = "990010010010"


@pytest.fixture
def platform(settings: Any, tmp_path: Path) -> Iterator[FitConnectServer]:
    """The platform on loopback; its test PKI's root is our only trust anchor, and its routes
    are signed with the keys it publishes as the self-service portal and routing service."""
    server = FitConnectServer().start()
    settings.FITCONNECT_TOKEN_URL = f"{server.url}/token"
    settings.FITCONNECT_SUBMISSION_API = server.url
    settings.FITCONNECT_ROUTING_API = server.url
    settings.FITCONNECT_CLIENT_ID = server.client_id
    settings.FITCONNECT_CLIENT_SECRET = server.client_secret
    anchors = tmp_path / "vpki-roots.pem"
    anchors.write_bytes(server.pki.root_pem())
    settings.FITCONNECT_TRUST_ANCHORS = str(anchors)
    settings.FITCONNECT_REVOCATION_CHECK = "require"
    settings.FITCONNECT_DESTINATION_SIGNATURE_JWKS = f"{server.url}/ssp/.well-known/jwks.json"
    settings.FITCONNECT_ROUTING_JWKS = f"{server.url}/routing/.well-known/jwks.json"
    yield server
    server.stop()


@pytest.fixture
def dog_tax(region: Region, catalogue: dict[str, Service], platform: FitConnectServer) -> Service:
    service = catalogue["hundesteueranmeldung"]
    service.leika_key = platform.leika_key
    service.save(update_fields=["leika_key"])
    region.stadt.ars = ARS_STADT
    region.stadt.save(update_fields=["ars"])
    return service
