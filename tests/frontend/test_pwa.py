"""The installable web app: manifest, service worker at the site root, offline page, and the
map configuration pointing at our own base map."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from frontend.maps import map_config

pytestmark = pytest.mark.django_db


def test_manifest_names_the_portal_in_german_with_icons(client: Client, settings) -> None:
    settings.SITE_NAME = "Mängelmelder Landkreis Heideland"
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Mängelmelder Landkreis Heideland"
    assert data["lang"] == "de" and data["display"] == "standalone" and data["start_url"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_home_page_links_manifest_and_registers_the_worker(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'data-sw="/sw.js"' in html


def test_service_worker_is_served_from_the_root_with_workbox_from_our_static_files(
    client: Client,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in script
    assert "/offline/" in script and "/static/css/site.css" in script
    assert "http" not in script.split("*/", 1)[1]  # nothing from another host
    for module in ("workbox-sw.js", "workbox-core.prod.js", "workbox-precaching.prod.js",
                   "workbox-routing.prod.js", "workbox-strategies.prod.js",
                   "workbox-expiration.prod.js", "workbox-cacheable-response.prod.js"):  # fmt: skip
        assert finders.find(f"vendor/workbox/{module}"), module


def test_offline_page_is_german_and_has_no_personal_data(client: Client) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sie sind gerade offline" in html
    assert "csrfmiddlewaretoken" not in html


def test_map_config_uses_our_own_base_map_by_default() -> None:
    basemap = map_config()["basemap"]
    assert basemap["vector"] == "/tiles/base/{z}/{x}/{y}.pbf"
    assert basemap["raster"] == []
    assert "OpenStreetMap" in basemap["vectorAttribution"]
    assert "BKG" in basemap["vectorAttribution"]
    assert all(url.startswith("/static/") for url in basemap["scripts"])


def test_an_operator_raster_layer_comes_from_settings(settings) -> None:
    settings.MAP_TILE_URL = "https://geo.example.org/ortho/{z}/{x}/{y}.jpg"
    settings.MAP_TILE_ATTRIBUTION = "© Landkreis Heideland, Orthofoto"
    raster = map_config()["basemap"]["raster"]
    assert raster == [
        {"tiles": "https://geo.example.org/ortho/{z}/{x}/{y}.jpg",
         "attribution": "© Landkreis Heideland, Orthofoto"}
    ]  # fmt: skip
