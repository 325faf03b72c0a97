"""RSS/Atom of new public reports: per Gemeinde (by its territory) and per category; only
confirmed reports, no contact data, approximate positions."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from boundaries.models import Level
from tests.factories import CategoryFactory, ReportFactory, box, territory

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def rss_items(client: Client, path: str) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")  # noqa: S314 - our own output


def test_feeds_per_town_and_category_show_only_public_reports(client: Client) -> None:
    west = territory("Westdorf", Level.GEMEINDE, box(10.0, 53.0, 10.1, 53.1), slug="westdorf")
    territory("Ostdorf", Level.GEMEINDE, box(10.1, 53.0, 10.2, 53.1), slug="ostdorf")
    pothole = CategoryFactory.create(name="Schlagloch", slug="schlagloch")
    light = CategoryFactory.create(name="Straßenlaterne", slug="laterne")
    ReportFactory.create(
        category=pothole, authority=west, location=Point(10.0512345, 53.05, srid=4326),
        description="Tiefes Loch vor Hausnummer 3",
    )  # fmt: skip
    ReportFactory.create(category=light, authority=west, location=Point(10.15, 53.05, srid=4326))
    ReportFactory.create(
        category=pothole, location=Point(10.05, 53.06, srid=4326), confirmed_at=None,
        description="Unbestätigt",
    )  # fmt: skip

    west_items = rss_items(client, "/meldungen/gemeinde/westdorf.rss")
    assert len(west_items) == 1
    item = west_items[0]
    assert "Schlagloch" in (item.findtext("title") or "")
    text = item.findtext("description") or ""
    assert "Tiefes Loch" in text
    # Approximate, not exact: the public grid, never the stored coordinate.
    assert "10.0512345" not in text and "Ungefähre Lage" in text
    assert "Erika Mustermann" not in text and "@example.org" not in text
    assert len(rss_items(client, "/meldungen/gemeinde/ostdorf.rss")) == 1

    category_items = rss_items(client, "/meldungen/kategorie/schlagloch.rss")
    assert [i.findtext("title") for i in category_items] == [item.findtext("title")]
    assert len(rss_items(client, "/meldungen/neu.rss")) == 2

    atom = ET.fromstring(client.get("/meldungen/kategorie/laterne.atom").content)  # noqa: S314
    assert len(atom.findall("a:entry", ATOM)) == 1
    assert client.get("/meldungen/gemeinde/gibt-es-nicht.rss").status_code == 404
