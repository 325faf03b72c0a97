"""Reading vector files (GeoJSON, Shapefile, GeoPackage …) through GDAL for the import commands,
and point tables (CSV with coordinate columns, e.g. the official "Hauskoordinaten").

GeoDjango's GDAL binding opens whatever the installed GDAL can read; this module turns its
failures into `ImportFileError`s with messages a GIS officer can act on, and hands out
features with their geometry already in WGS84 (EPSG:4326).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.gdal.layer import Layer
from django.core.management.base import BaseCommand, CommandError

from .srid import WGS84


class ImportFileError(ValueError):
    """The file cannot be imported as asked; the message says why and what to change."""


@dataclass
class SourceFeature:
    """One feature of the file: its number (1-based, for messages), attributes and geometry."""

    number: int
    attributes: dict[str, Any]
    geom: OGRGeometry


@dataclass
class SourceLayer:
    path: Path
    layer: Layer
    fields: list[str]

    @property
    def name(self) -> str:
        return str(self.layer.name)

    def __len__(self) -> int:
        return len(self.layer)

    def require_fields(self, *names: str | None) -> None:
        missing = [name for name in names if name and name not in self.fields]
        if missing:
            raise ImportFileError(
                f"{self.path.name}: field(s) {', '.join(missing)} not found; "
                f"the layer {self.name!r} has: {', '.join(self.fields) or '(no fields)'}"
            )

    def features(self, allowed_types: tuple[str, ...]) -> Iterator[SourceFeature]:
        """Features with geometry in WGS84. A feature without geometry or of another geometry
        type than `allowed_types` (OGR names such as "Polygon") stops the import."""
        srs = self.layer.srs
        transform = srs is not None and not _is_wgs84(srs)
        for number, feature in enumerate(self.layer, start=1):
            try:
                geom: OGRGeometry | None = feature.geom
            except GDALException:
                geom = None
            if geom is None or geom.empty:
                raise ImportFileError(f"{self.path.name}: feature {number} has no geometry")
            geom_type = geom.geom_type.name.removesuffix("25D")
            if geom_type not in allowed_types:
                raise ImportFileError(
                    f"{self.path.name}: feature {number} is a {geom_type}; "
                    f"expected {' or '.join(allowed_types)}"
                )
            if transform:
                geom.transform(WGS84)
            else:
                geom.srid = WGS84
            attributes = {name: feature.get(name) for name in self.fields}
            yield SourceFeature(number=number, attributes=attributes, geom=geom)


class PointTable(Protocol):
    """What the importers read of a layer: a vector file's layer or a CSV point table."""

    path: Path
    fields: list[str]

    def __len__(self) -> int: ...

    def require_fields(self, *names: str | None) -> None: ...

    def features(self, allowed_types: tuple[str, ...]) -> Iterator[SourceFeature]: ...


# Column names tried (case-insensitively) when a CSV's coordinate columns are not given.
CSV_X_NAMES = ("lon", "longitude", "lng", "x", "east", "ostwert", "rechtswert")
CSV_Y_NAMES = ("lat", "latitude", "y", "north", "nordwert", "hochwert")
MAX_CSV_BYTES = 512 * 1024 * 1024


def find_field(fields: list[str], candidates: tuple[str, ...]) -> str | None:
    """The first of `fields` whose name is one of `candidates`, ignoring case."""
    lowered = {name.lower(): name for name in fields}
    return next((lowered[c] for c in candidates if c in lowered), None)


@dataclass
class CsvLayer:
    """A CSV file of points: one row per feature, coordinates in two columns. The delimiter
    (comma, semicolon or tab) is detected; `srid` names the coordinates' system (4326 for
    degrees, 25832/25833 for the UTM metres of the official exports)."""

    path: Path
    fields: list[str]
    rows: list[dict[str, str]]
    x_field: str
    y_field: str
    srid: int

    @property
    def name(self) -> str:
        return self.path.stem

    def __len__(self) -> int:
        return len(self.rows)

    def require_fields(self, *names: str | None) -> None:
        missing = [name for name in names if name and name not in self.fields]
        if missing:
            raise ImportFileError(
                f"{self.path.name}: column(s) {', '.join(missing)} not found; "
                f"the file has: {', '.join(self.fields) or '(no columns)'}"
            )

    def _point(self, number: int, row: dict[str, str]) -> OGRGeometry:
        raw_x, raw_y = row.get(self.x_field) or "", row.get(self.y_field) or ""
        try:
            x, y = float(raw_x.replace(",", ".")), float(raw_y.replace(",", "."))
        except ValueError as exc:
            raise ImportFileError(
                f"{self.path.name}: row {number} has no number in {self.x_field}/{self.y_field} "
                f"({raw_x!r}, {raw_y!r})"
            ) from exc
        if self.srid == WGS84 and not (-180 <= x <= 180 and -90 <= y <= 90):
            raise ImportFileError(
                f"{self.path.name}: row {number} has coordinates ({x}, {y}) outside degrees; "
                "for projected coordinates give --srid (e.g. 25832 for UTM zone 32)"
            )
        try:
            geom = OGRGeometry(f"POINT ({x!r} {y!r})", srs=SpatialReference(self.srid))
            if self.srid != WGS84:
                geom.transform(WGS84)
        except GDALException as exc:
            raise ImportFileError(f"{self.path.name}: unknown --srid {self.srid}") from exc
        geom.srid = WGS84
        return geom

    def features(self, allowed_types: tuple[str, ...]) -> Iterator[SourceFeature]:
        if "Point" not in allowed_types:
            raise ImportFileError(f"{self.path.name}: a CSV file holds points only")
        for number, row in enumerate(self.rows, start=1):
            attributes = {name: row.get(name) for name in self.fields}
            yield SourceFeature(number=number, attributes=attributes, geom=self._point(number, row))


def open_csv(
    path: str | Path, *, x_field: str | None = None, y_field: str | None = None, srid: int = WGS84
) -> CsvLayer:
    """Read a CSV point table completely, or raise ImportFileError with a clear reason."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise ImportFileError(f"{path.name}: the file is empty")
    if path.stat().st_size > MAX_CSV_BYTES:
        raise ImportFileError(f"{path.name}: larger than {MAX_CSV_BYTES // 2**20} MB; split it")
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        content = path.read_bytes().decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(content[:8192], delimiters=",;\t")
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: not a CSV table (no column separator found)") from exc
    reader = csv.DictReader(content.splitlines(), dialect=dialect)
    fields = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = fields
    rows = list(reader)
    x = x_field or find_field(fields, CSV_X_NAMES)
    y = y_field or find_field(fields, CSV_Y_NAMES)
    if not x or not y:
        raise ImportFileError(
            f"{path.name}: no coordinate columns found (tried {', '.join(CSV_X_NAMES)} and "
            f"{', '.join(CSV_Y_NAMES)}); name them with --x-field and --y-field"
        )
    layer = CsvLayer(path=path, fields=fields, rows=rows, x_field=x, y_field=y, srid=srid)
    layer.require_fields(x, y)
    return layer


def _is_wgs84(srs: SpatialReference) -> bool:
    try:
        name = srs.name or ""
        return srs.srid == WGS84 or (srs.geographic and "WGS" in name and "84" in name)
    except GDALException:
        return False


def open_layer(path: str | Path, layer: str | int | None = None) -> SourceLayer:
    """Open one layer of a vector file, or raise ImportFileError with a clear reason."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"{path}: file not found")
    if path.is_file() and path.stat().st_size == 0:
        raise ImportFileError(f"{path.name}: the file is empty")
    try:
        source = DataSource(str(path))
    except GDALException as exc:
        raise ImportFileError(
            f"{path.name}: not a readable GeoJSON, Shapefile or GeoPackage ({exc})"
        ) from exc
    if source.layer_count == 0:
        raise ImportFileError(f"{path.name}: contains no layer")
    if layer is None and source.layer_count > 1:
        names = ", ".join(str(source[i].name) for i in range(source.layer_count))
        raise ImportFileError(f"{path.name}: has several layers ({names}); choose one with --layer")
    try:
        chosen = source[layer if layer is not None else 0]
    except (IndexError, GDALException) as exc:
        raise ImportFileError(f"{path.name}: no layer {layer!r}") from exc
    return SourceLayer(path=path, layer=chosen, fields=[str(f) for f in chosen.fields])


def run_import(command: BaseCommand, verbosity: int, call: Callable[[], Any]) -> None:
    """Run an importer for a management command: a refused file becomes a CommandError that
    says nothing was stored; the summary is printed line by line."""
    try:
        summary = call()
    except ImportFileError as exc:
        raise CommandError(f"{exc}. Nothing was stored.") from exc
    if verbosity > 0:
        for line in summary.lines():
            command.stdout.write(line)


def text(value: Any) -> str:
    """An attribute as clean text ("" for NULL); integers stay without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
