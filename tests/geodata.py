"""Small helpers for import tests: write GeoJSON fixtures, convert them with GDAL, and find the
real geodata in ../shared/geodata (never copied into the repository)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

GEODATA = Path(
    os.environ.get(
        "MM_GEODATA", Path(__file__).resolve().parent.parent.parent / "shared" / "geodata"
    )
)


def real(relative: str) -> Path:
    """A file of the shared geodata; tests using it are marked `realdata`."""
    return GEODATA / relative


def box_coords(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> list:
    return [
        [
            [min_lon, min_lat],
            [max_lon, min_lat],
            [max_lon, max_lat],
            [min_lon, max_lat],
            [min_lon, min_lat],
        ]
    ]


def feature(geometry_type: str, coordinates: Any, **properties: Any) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geometry_type, "coordinates": coordinates},
    }


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def convert(source: Path, target: Path, *extra: str) -> Path:
    """Convert with ogr2ogr (GDAL's command-line tool, installed by `make test`)."""
    subprocess.run(  # noqa: S603
        ["ogr2ogr", *extra, str(target), str(source)],  # noqa: S607
        check=True,
        capture_output=True,
    )
    return target
