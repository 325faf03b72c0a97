"""Crews on the road (issue 16): the work queue offers "Für unterwegs speichern" (with the
queue's filters), the Unterwegs page is for staff only and carries its configuration, and the
service worker answers staff pages and saved photos from the crew cache when offline."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tracker.staff.offline_config import MAX_OFFLINE_REPORTS, MAX_TILES

from .fixtures import World

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def config_of(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script id="crew-offline-config" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "no configuration on the page"
    return json.loads(match.group(1))


def test_queue_offers_saving_for_the_road_with_its_filters(world: World) -> None:
    html = client_for(world.crew).get("/arbeit/?status=planned").content.decode()
    assert "Für unterwegs speichern" in html
    assert 'data-source="/arbeit/karte.json?' in html and "status=planned" in html
    assert "ohne Kontaktdaten" in html
    config = config_of(html)
    assert config["maxReports"] == MAX_OFFLINE_REPORTS and config["maxTiles"] == MAX_TILES
    assert config["tiles"] == "/tiles/base/{z}/{x}/{y}.pbf"


def test_unterwegs_page_is_for_staff_and_says_what_needs_the_server(world: World) -> None:
    response = client_for(world.crew).get("/arbeit/unterwegs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Was ohne Verbindung geht – und was nicht" in html
    assert "Duplikatprüfung" in html
    assert config_of(html)["statuses"]["in_progress"] == "in Arbeit"
    assert Client().get("/arbeit/unterwegs/").status_code == 302


def test_unterwegs_page_in_english(world: World) -> None:
    client = client_for(world.crew)
    html = client.get("/arbeit/unterwegs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if "What works without a connection" not in html:  # the site may not switch by header
        client.cookies["django_language"] = "en"
        html = client.get("/arbeit/unterwegs/").content.decode()
    assert "What works without a connection" in html
    assert config_of(html)["strings"]["apply"] == "Apply again"


def test_service_worker_answers_staff_pages_and_saved_photos_from_the_crew_cache(
    client: Client,
) -> None:
    script = client.get("/sw.js").content.decode()
    assert 'var CREW_PAGE = "/arbeit/unterwegs/";' in script
    assert 'var CREW_MEDIA = "/media/";' in script
    # Registered before the catch-all for pages, so it is the one that answers /arbeit/.
    assert script.index("CREW_CACHE") < script.index("new workbox.strategies.NetworkOnly()")
