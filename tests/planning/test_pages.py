"""/planung/ pages: who may open them, what they show, the folium Lagebild without CDNs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import Region

pytestmark = pytest.mark.django_db

PAGES: list[tuple[str, list[str]]] = [
    ("planning:heatmap", []),
    ("planning:hotspots", []),
    ("planning:statistics", []),
    ("planning:lagebild", ["nord"]),
]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_is_sent_to_login(region: Region, name: str, args: list[str]) -> None:
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_citizen_and_crew_get_403(region: Region, name: str, args: list[str]) -> None:
    for user in (region.citizen, region.crew):
        assert client_for(user).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_planner_opens_every_page(populated: Region, name: str, args: list[str]) -> None:
    response = client_for(populated.kreis_planner).get(reverse(name, args=args))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_nav_link_only_for_planners(populated: Region) -> None:
    planner_page = client_for(populated.nord_planner).get("/").content.decode()
    assert 'href="/planung/"' in planner_page
    citizen_page = client_for(populated.citizen).get("/").content.decode()
    assert 'href="/planung/"' not in citizen_page


def test_statistics_page_has_tables_and_local_chart_js(populated: Region) -> None:
    page = client_for(populated.nord_planner).get(reverse("planning:statistics")).content.decode()
    assert "<caption>Meldungen nach Kategorie</caption>" in page
    assert "Straßenlaterne defekt" in page
    assert "/static/vendor/chart.js/chart.umd.min.js" in page
    # Nord sees only its own authority in the table
    assert "Gemeinde Süd" not in page
    assert "K 12" in page


def test_hotspot_list_links_to_reports(populated: Region) -> None:
    page = client_for(populated.kreis_planner).get(reverse("planning:hotspots")).content.decode()
    first = populated.reports["nord"][5]
    try:
        url = reverse("staff:report", args=[first.pk])
    except Exception:  # the staff pages are not there yet
        url = reverse("tracker:report", args=[first.pk])
    assert f'href="{url}"' in page
    assert "K 12" in page


def test_heatmap_page_carries_filters_and_exports(populated: Region) -> None:
    response = client_for(populated.kreis_planner).get(
        reverse("planning:heatmap"), {"category": "schlagloch", "status": "open"}
    )
    page = response.content.decode()
    assert "/api/v1/planning/reports.csv?category=schlagloch&amp;status=open" in page
    assert "/api/v1/planning/reports.gpkg?" in page
    assert '"bins": "/api/v1/planning/bins"' in page
    assert reverse("planning:lagebild", args=["sued"]) in page


def test_gemeinde_planner_cannot_open_a_neighbours_lagebild(populated: Region) -> None:
    client = client_for(populated.nord_planner)
    assert client.get(reverse("planning:lagebild", args=["sued"])).status_code == 404
    assert client.get(reverse("planning:lagebild", args=["nord"])).status_code == 200


def test_lagebild_uses_only_local_assets(populated: Region) -> None:
    page = (
        client_for(populated.kreis_planner)
        .get(reverse("planning:lagebild", args=["nord"]))
        .content.decode()
    )
    assert "folium-map" in page
    assert "/static/vendor/leaflet/leaflet.js" in page
    assert "/static/vendor/leaflet/leaflet.css" in page
    external = re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"(?:https?:)?//[^\"]+\"", page)
    assert external == []
    # No content-delivery host named anywhere on the page (the same check as a substring test).
    assert re.search(r"cdn\.", page) is None
    assert "jquery" not in page.lower() and "bootstrap" not in page
    assert "Lagebild Gemeinde Nord" in page


def test_lagebild_of_a_gemeinde_without_reports_is_an_empty_map_with_a_note(
    region: Region,
) -> None:
    """No reports: no density layer (folium refuses a tooltip on nothing), a note instead."""
    response = client_for(region.kreis_planner).get(reverse("planning:lagebild", args=["sued"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "folium-map" in page
    assert 'id="lagebild-empty"' in page
    assert "keine Meldungen" in page


def test_lagebild_with_reports_has_no_empty_note(populated: Region) -> None:
    page = (
        client_for(populated.kreis_planner)
        .get(reverse("planning:lagebild", args=["nord"]))
        .content.decode()
    )
    assert 'id="lagebild-empty"' not in page
