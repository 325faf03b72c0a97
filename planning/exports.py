"""Exports of the filtered reports for planners: CSV, GeoJSON (both streamed, no row limit)
and GeoPackage (through GDAL's ogr2ogr, up to GPKG_MAX_ROWS).

No personal data: no reporter name, email, phone, account, tokens, free-text description or
address (citizens write names and phone numbers into them), and the approximate location of
the public API (snapped to PUBLIC_GRID_DEGREES), never the exact pin. Exports read the live
reports (not the facts view), so they are current to the second.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models.functions import SnapToGrid
from django.db.models import FloatField, Func, QuerySet

from tracker.models import Report
from tracker.selectors import PUBLIC_GRID_DEGREES, with_overdue

from .filters import PlanningFilters

GPKG_MAX_ROWS = 250_000
CHUNK = 2000
# Column order of every export (GeoJSON: properties).
COLUMNS = (
    "id",
    "reference",
    "created_at",
    "updated_at",
    "status",
    "priority",
    "due_at",
    "overdue",
    "category",
    "category_name",
    "authority",
    "authority_name",
    "road_ref",
    "road_class",
    "supporters",
    "lon",
    "lat",
)
_ROW_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "status",
    "priority",
    "due_at",
    "overdue",
    "category__slug",
    "category__name",
    "authority__slug",
    "authority__name",
    "road__ref",
    "road__road_class",
    "supporter_count",
    "public_lon",
    "public_lat",
)


class _X(Func):
    function = "ST_X"
    output_field = FloatField()


class _Y(Func):
    function = "ST_Y"
    output_field = FloatField()


class TooManyRows(Exception):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(count, limit)
        self.count = count
        self.limit = limit


def export_rows(filters: PlanningFilters) -> QuerySet[Any]:
    """The filtered reports as tuples (_ROW_FIELDS), oldest first; one query (streamed)."""
    snapped = SnapToGrid("location", PUBLIC_GRID_DEGREES)
    reports = filters.apply(with_overdue(Report.objects.all()))
    return (
        reports.annotate(public_lon=_X(snapped), public_lat=_Y(snapped))
        .order_by("id")
        .values_list(*_ROW_FIELDS)
    )


def _record(row: tuple[Any, ...]) -> dict[str, Any]:
    (
        pk,
        created_at,
        updated_at,
        status,
        priority,
        due_at,
        overdue,
        category,
        category_name,
        authority,
        authority_name,
        road_ref,
        road_class,
        supporters,
        lon,
        lat,
    ) = row
    return {
        "id": pk,
        "reference": f"{created_at.year}-{pk:06d}",
        "created_at": created_at.isoformat(),
        "updated_at": updated_at.isoformat(),
        "status": status,
        "priority": priority,
        "due_at": due_at.isoformat() if isinstance(due_at, datetime) else None,
        "overdue": bool(overdue),
        "category": category,
        "category_name": category_name,
        "authority": authority,
        "authority_name": authority_name,
        "road_ref": road_ref or "",
        "road_class": road_class or "",
        "supporters": supporters,
        "lon": round(lon, 6),
        "lat": round(lat, 6),
    }


class _Echo:
    """csv.writer target that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(filters: PlanningFilters) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: spreadsheet programs then read the umlauts as UTF-8
    yield writer.writerow(COLUMNS)
    for row in export_rows(filters).iterator(chunk_size=CHUNK):
        record = _record(row)
        yield writer.writerow([record[c] for c in COLUMNS])


def _feature(record: dict[str, Any]) -> str:
    lon, lat = record["lon"], record["lat"]
    properties = {k: v for k, v in record.items() if k not in ("lon", "lat")}
    return json.dumps(
        {
            "type": "Feature",
            "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def geojson_chunks(filters: PlanningFilters) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    first = True
    for row in export_rows(filters).iterator(chunk_size=CHUNK):
        yield ("" if first else ",\n") + _feature(_record(row))
        first = False
    yield "]}\n"


def geopackage_file(filters: PlanningFilters, *, limit: int = GPKG_MAX_ROWS) -> Any:
    """The filtered reports as a GeoPackage (layer `meldungen`, EPSG:4326), written by
    ogr2ogr from a GeoJSONSeq file in a temporary directory. Returns an open binary file whose
    directory entry is already gone (the data lives until the file is closed). Raises
    TooManyRows above `limit` (CSV and GeoJSON stream any number of rows)."""
    count = export_rows(filters).count()
    if count > limit:
        raise TooManyRows(count, limit)
    workdir = tempfile.mkdtemp(prefix="mm-export-")
    try:
        source = os.path.join(workdir, "meldungen.geojsonl")
        target = os.path.join(workdir, "meldungen.gpkg")
        with open(source, "w", encoding="utf-8") as out:
            for row in export_rows(filters).iterator(chunk_size=CHUNK):
                out.write(_feature(_record(row)))
                out.write("\n")
        if count == 0:
            # GDAL cannot guess the fields of an empty file: give it one template feature
            # and keep none of it.
            source = _template_collection(workdir)
        command = [
            shutil.which("ogr2ogr") or "ogr2ogr",
            "-f",
            "GPKG",
            target,
            source,
            "-nln",
            "meldungen",
            "-a_srs",
            "EPSG:4326",
            "-nlt",
            "POINT",
            *(["-where", "1 = 0"] if count == 0 else []),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=600)  # noqa: S603
        handle = open(target, "rb")  # noqa: SIM115 - handed to FileResponse, which closes it
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return handle


def _template_collection(workdir: str) -> str:
    path = os.path.join(workdir, "empty.geojson")
    properties = {c: "" for c in COLUMNS if c not in ("lon", "lat")}
    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [0, 0]},
                        "properties": properties,
                    }
                ],
            },
            out,
        )
    return path
