"""Reading vector files (GeoJSON, Shapefile, GeoPackage …) through GDAL for the import commands.

GeoDjango's GDAL binding opens whatever the installed GDAL can read; this module turns its
failures into `ImportFileError`s with messages a GIS officer can act on, and hands out
features with their geometry already in WGS84 (EPSG:4326).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
