"""The base map's vector tiles (/tiles/base/): layers at county and street zoom, the cache per
data version, HTTP caching, and bad tile addresses."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import LineString
from django.core.cache import cache
from django.test import Client

from boundaries.basemap import data_version
from geo.models import RoadClass
from tests.factories import RoadFactory
from tests.map_region import make_map_region

pytestmark = pytest.mark.django_db


def tile_url(lon: float, lat: float, z: int) -> str:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"/tiles/base/{z}/{x}/{y}.pbf"


def layers(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def props(tile: dict, layer: str) -> list[dict]:
    return [f["properties"] for f in tile.get(layer, {}).get("features", [])]


def test_county_zoom_shows_boundaries_town_names_and_main_roads_only(client: Client) -> None:
    make_map_region()
    tile = layers(client, tile_url(10.1, 53.05, 9))
    levels = {p["level"] for p in props(tile, "boundaries")}
    assert {"kreis", "gemeinde"} <= levels
    names = {p["name"] for p in props(tile, "places")}
    assert {"Stadt Heidestadt", "Moordorf", "Landkreis Heideland"} <= names
    roads = props(tile, "roads")
    assert {r["ref"] for r in roads} >= {"K 12"}
    # Town streets (class G) and assets only closer in.
    assert all(r["class"] != "G" for r in roads)
    assert "assets" not in tile


def test_street_zoom_shows_named_streets_and_assets(client: Client) -> None:
    make_map_region()
    tile = layers(client, tile_url(10.031, 53.0301, 16))
    assert "Lindenweg" in {r.get("name") for r in props(tile, "roads")}
    assets = props(tile, "assets")
    assert {"L-1", "L-2"} <= {a["external_id"] for a in assets}
    assert "streetlight" in {a["type"] for a in assets}


def test_cached_tile_is_served_until_the_data_changes(client: Client, settings: Any) -> None:
    settings.MAP_BASE_VERSION_SECONDS = 0  # no remembered version: the change shows at once
    make_map_region()
    url = tile_url(10.031, 53.0301, 16)
    first = client.get(url)
    version = data_version()
    assert cache.get(f"basemap:{version}:{url[12:-4]}") == first.content
    # Same version: the cached bytes; a conditional request gets 304.
    assert client.get(url).content == first.content
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A proxy that compressed the tile (nginx's gzip) weakens the tag; browsers list several.
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"old", W/{etag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"old", W/"1{etag[1:]}').status_code == 200
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    # A new road changes the data version, so the tile shows it at once.
    RoadFactory.create(
        name="Neue Straße", road_class=RoadClass.GEMEINDESTRASSE,
        geom=LineString((10.030, 53.0302), (10.033, 53.0302)),
    )  # fmt: skip
    assert data_version() != version
    changed = client.get(url)
    assert changed["ETag"] != etag
    roads = props(mapbox_vector_tile.decode(changed.content), "roads")
    assert "Neue Straße" in {r.get("name") for r in roads}


def test_cached_tile_needs_no_database_query(
    client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.MAP_BASE_VERSION_SECONDS = 60
    make_map_region()
    url = tile_url(10.031, 53.0301, 16)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "url",
    ["/tiles/base/x/1/1.pbf", "/tiles/base/23/0/0.pbf", "/tiles/base/3/8/0.pbf",
     "/tiles/base/3/0/-1.pbf"],
)  # fmt: skip
def test_bad_tile_addresses_are_refused_with_a_message(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert any(word in response.content.decode() for word in ("Kachel", "ganze", "zwischen"))


def test_extra_tiles_without_an_archive_are_not_found(client: Client) -> None:
    assert client.get("/tiles/extra/1/0/0").status_code == 404


def test_a_tile_is_the_same_public_answer_for_a_signed_in_user(
    client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    """Tiles skip the session/CSRF/login stack (core/fastpath.py): a signed-in user's
    cached tile costs no query either (no session or user looked up), and is the anonymous
    answer, cacheable by any shared cache, with the security headers kept."""
    from tests.factories import UserFactory

    settings.MAP_BASE_VERSION_SECONDS = 60
    make_map_region()
    url = tile_url(10.031, 53.0301, 16)
    anonymous = client.get(url)
    client.force_login(UserFactory.create())
    with django_assert_num_queries(0):
        signed_in = client.get(url)
    assert signed_in.content == anonymous.content
    assert "Cookie" not in signed_in.get("Vary", "")
    assert not signed_in.cookies  # no session or CSRF cookie set or refreshed
    assert "public" in signed_in["Cache-Control"]
    assert signed_in["X-Content-Type-Options"] == "nosniff"
    # Not a tile address: Django's own (German) 404 page, through the whole stack.
    missing = client.get("/tiles/base/nichts")
    assert missing.status_code == 404
    assert "Seite nicht gefunden" in missing.content.decode()
