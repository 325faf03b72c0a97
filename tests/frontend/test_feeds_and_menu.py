"""The shell: feeds registered by the apps are linked as <link rel="alternate"> on their
pages and listed on /feeds/; the menu leads to the calendar and the Abfallkalender."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from core import feeds

pytestmark = pytest.mark.django_db


def alternates(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', html)


def test_reports_feeds_on_start_page_and_map(client: Client, calendar_demo: None) -> None:
    for path in ("/", "/karte/"):
        links = alternates(client.get(path).content.decode())
        assert ("application/rss+xml", "/meldungen/neu.rss") in links
        assert ("application/atom+xml", "/meldungen/neu.atom") in links
        assert ("application/rss+xml", "/veranstaltungen/neu.rss") not in links


def test_events_feeds_on_every_calendar_page(client: Client, calendar_demo: None) -> None:
    for path in ("/veranstaltungen/", "/veranstaltungen/liste/", "/veranstaltungen/karte/"):
        links = alternates(client.get(path).content.decode())
        assert links == [
            ("application/rss+xml", "/veranstaltungen/neu.rss"),
            ("application/atom+xml", "/veranstaltungen/neu.atom"),
        ]


def test_feed_overview_lists_variants_per_gemeinde_and_category(
    client: Client, calendar_demo: None
) -> None:
    page = client.get("/feeds/").content.decode()
    assert "Neue Meldungen" in page and "Neue Veranstaltungen und Sitzungen" in page
    assert "Stadt Heidestadt (Demo)" in page and "Kategorie: " in page
    assert 'href="/meldungen/gemeinde/demo-stadt-heidestadt.rss"' in page
    assert re.search(r'href="/meldungen/kategorie/[\w-]+\.atom"', page)
    # Every listed feed answers.
    for url in re.findall(r'href="(/[^"]+\.(?:rss|atom))"', page)[:6]:
        assert client.get(url).status_code == 200, url


@pytest.fixture
def plans_feed() -> Iterator[None]:
    """What an app (participation) does in its ready(): register its feed by name. A test key,
    so the real plans feed stays registered for the other tests."""
    feeds.register(
        feeds.FeedLink(
            key="test-plans",
            title="Neue Bebauungspläne",
            rss_url=lambda: "/beteiligung/neu.rss",
            pages=("/beteiligung/",),
        )
    )
    yield
    feeds._feeds.pop("test-plans")


def test_an_app_registers_its_feed_without_the_shell_knowing_it(
    client: Client, plans_feed: None
) -> None:
    assert "Neue Bebauungspläne" in client.get("/feeds/").content.decode()
    # Linked on its own pages only (a 404 page still has the shell's head).
    html = client.get("/beteiligung/nichts/").content.decode()
    assert ("application/rss+xml", "/beteiligung/neu.rss") in alternates(html)
    assert ("application/rss+xml", "/beteiligung/neu.rss") not in alternates(
        client.get("/").content.decode()
    )


def test_menu_leads_to_calendar_and_waste_calendar(client: Client, calendar_demo: None) -> None:
    home = client.get("/").content.decode()
    nav = home.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/veranstaltungen/"' in nav and 'href="/abfall/"' in nav
    waste = client.get("/abfall/").content.decode()
    assert '<a href="/abfall/" aria-current="page">' in waste
    listing = client.get("/veranstaltungen/liste/").content.decode()
    assert '<a href="/veranstaltungen/" aria-current="page">' in listing
    english = client.get("/veranstaltungen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Events</a>" in english and ">Waste collection</a>" in english
