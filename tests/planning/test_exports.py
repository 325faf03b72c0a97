"""Exports: no personal data in the bytes, the right rows, a GeoPackage GDAL can open."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.gdal import DataSource
from django.test import Client
from django.urls import reverse

from planning import exports
from planning.filters import PlanningFilterForm
from planning.scope import planning_scope

from .conftest import Region

pytestmark = pytest.mark.django_db


def download(region: Region, fmt: str, user: Any = None, **params: str) -> tuple[Any, bytes]:
    client = Client()
    client.force_login(user or region.kreis_planner)
    response = client.get(reverse("api:planning-export", args=[fmt]), params)
    assert response.status_code == 200, response.content[:300]
    body = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    return response, body


def assert_no_personal_data(region: Region, body: bytes) -> None:
    lowered = body.lower()
    for reports in region.reports.values():
        for report in reports:
            for secret in (
                report.reporter_email,
                report.reporter_name,
                report.reporter_phone,
                report.tracking_token,
                report.confirmation_token,
            ):
                assert secret.lower().encode() not in lowered, secret
    for needle in (b"@example.org", b"mustermann", b"4131", b"schlagloch vor", b"token"):
        assert needle not in lowered


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_exports_contain_no_personal_data(populated: Region, fmt: str) -> None:
    _response, body = download(populated, fmt)
    assert_no_personal_data(populated, body)


def test_csv_rows_and_header(populated: Region) -> None:
    response, body = download(populated, "csv", category="laterne")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="meldungen.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["category"] for row in rows] == ["laterne", "laterne"]
    assert list(rows[0]) == list(exports.COLUMNS)
    # the public ~10 m grid, never the exact pin
    assert {(row["lon"], row["lat"]) for row in rows} == {("10.2", "53.35"), ("10.21", "53.36")}


def test_geojson_is_a_feature_collection_of_the_filter(populated: Region) -> None:
    response, body = download(populated, "geojson", user=populated.sued_planner)
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 3
    assert {f["properties"]["authority"] for f in data["features"]} == {"sued"}
    assert data["features"][0]["geometry"]["type"] == "Point"


def test_geopackage_opens_with_gdal(populated: Region, tmp_path: Path) -> None:
    response, body = download(populated, "gpkg", authority="nord")
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "meldungen.gpkg"
    path.write_bytes(body)
    source = DataSource(str(path))
    layer = source[0]
    assert layer.name == "meldungen"
    assert len(layer) == 8
    assert layer.srs is not None and layer.srs.srid == 4326
    assert "reporter_email" not in layer.fields
    assert {"category", "status", "road_ref"} <= set(layer.fields)


def test_empty_geopackage_has_the_layer_and_no_features(region: Region, tmp_path: Path) -> None:
    _response, body = download(region, "gpkg")
    path = tmp_path / "leer.gpkg"
    path.write_bytes(body)
    layer = DataSource(str(path))[0]
    assert len(layer) == 0
    assert "category" in layer.fields


def test_geopackage_row_limit(populated: Region) -> None:
    form = PlanningFilterForm({}, scope=planning_scope(populated.kreis_planner))
    assert form.is_valid()
    with pytest.raises(exports.TooManyRows):
        exports.geopackage_file(form.filters(), limit=5)


def test_exports_per_planner_are_limited(populated: Region, settings: Any) -> None:
    """A script or a retry loop cannot start exports without end: the third export within
    the hour is refused with 429 and the wait, while another planner still gets hers."""
    settings.PLANNING_EXPORT_RATE_PER_USER = "2/h"
    download(populated, "csv")
    download(populated, "geojson")
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(populated.kreis_planner)
    refused = client.get(reverse("api:planning-export", args=["csv"]))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "gedrosselt" in refused.json()["detail"]
    other, body = download(populated, "csv", user=populated.nord_planner)
    assert other.status_code == 200 and body
