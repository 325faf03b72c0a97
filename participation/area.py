"""Reading a plan's area (Geltungsbereich) from a file: GeoJSON, a zipped Shapefile, a
GeoPackage or XPlanung GML, whatever the installed GDAL reads (django.contrib.gis.gdal).

The file is read completely before anything is stored: polygons are taken from one layer
(XPlanung: `BP_Plan`, its `raeumlicherGeltungsbereich`), reprojected to WGS84 from the layer's
coordinate system, checked and, where invalid (self-intersections, wrong ring order), repaired
with PostGIS' ST_MakeValid. A file we cannot turn into a plausible area raises AreaRejected
with a German message saying what is wrong; the caller stores nothing then.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry
from django.contrib.gis.gdal.layer import Layer
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from geo.srid import WGS84

MAX_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 5000
# A Bebauungsplan covers hectares, not a county: a bigger area is the wrong layer or file.
MAX_AREA_KM2 = 100.0
# Roughly Germany with a margin: coordinates outside are a wrong coordinate system.
PLAUSIBLE = (5.0, 47.0, 16.0, 55.5)
SUFFIXES = (".geojson", ".json", ".zip", ".gpkg", ".gml", ".xml")
# XPlanung feature types that carry the plan's area (raeumlicherGeltungsbereich).
XPLAN_LAYERS = ("BP_Plan", "FP_Plan", "RP_Plan", "SO_Plan", "LP_Plan")
POLYGONAL = ("Polygon", "MultiPolygon", "CurvePolygon", "MultiSurface")


class AreaRejected(ValueError):
    """The file gives no usable area; `message` says why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class AreaResult:
    geom: MultiPolygon
    layer: str
    features: int
    repaired: list[str] = field(default_factory=list)

    @property
    def hectares(self) -> float:
        return area_m2(self.geom) / 10_000


def area_m2(geom: GEOSGeometry) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(ST_GeomFromEWKB(%s)::geography)", [bytes(geom.ewkb)])
        return float(cursor.fetchone()[0] or 0.0)


def _open(path: Path) -> DataSource:
    target = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
    try:
        return DataSource(target)
    except GDALException:
        raise AreaRejected(
            _(
                "Die Datei kann nicht gelesen werden. Erlaubt sind GeoJSON, Shapefile (als "
                "ZIP mit .shp, .shx, .dbf und .prj), GeoPackage und XPlanung-GML."
            )
        ) from None


def _geometry(feature: object) -> OGRGeometry | None:
    try:
        geom = feature.geom  # type: ignore[attr-defined]
    except (GDALException, IndexError):
        return None
    return None if geom is None or geom.empty else geom


def _type_name(geom: OGRGeometry) -> str:
    return str(geom.geom_type.name).removesuffix("25D").removesuffix("Z")


def _has_polygons(layer: Layer) -> bool:
    return any((geom := _geometry(f)) is not None and _type_name(geom) in POLYGONAL for f in layer)


def _choose_layer(source: DataSource, name: str | None) -> Layer:
    layers = [source[i] for i in range(source.layer_count)]
    if name:
        chosen = [layer for layer in layers if str(layer.name) == name]
        if not chosen:
            names = ", ".join(str(layer.name) for layer in layers)
            raise AreaRejected(
                _("Die Datei hat keine Ebene „%(name)s“ (vorhanden: %(names)s).")
                % {"name": name, "names": names}
            )
        return chosen[0]
    for preferred in XPLAN_LAYERS:
        for layer in layers:
            if str(layer.name) == preferred and _has_polygons(layer):
                return layer
    polygonal = [layer for layer in layers if _has_polygons(layer)]
    if not polygonal:
        raise AreaRejected(
            _(
                "Die Datei enthält keine Flächen (Polygone). Bitte laden Sie den "
                "Geltungsbereich als Fläche hoch."
            )
        )
    if len(polygonal) > 1:
        names = ", ".join(str(layer.name) for layer in polygonal)
        raise AreaRejected(
            _("Die Datei hat mehrere Ebenen mit Flächen (%(names)s); bitte eine auswählen.")
            % {"names": names}
        )
    return polygonal[0]


def _wgs84_wkbs(layer: Layer) -> list[tuple[int, bytes]]:
    srs = layer.srs
    pieces: list[tuple[int, bytes]] = []
    for number, feature in enumerate(layer, start=1):
        if number > MAX_FEATURES:
            raise AreaRejected(
                _("Die Ebene hat mehr als %(max)s Objekte; das ist kein Geltungsbereich.")
                % {"max": MAX_FEATURES}
            )
        geom = _geometry(feature)
        if geom is None or _type_name(geom) not in POLYGONAL:
            continue
        try:
            if srs is not None and srs.srid != WGS84:
                geom.transform(WGS84)
        except GDALException:
            raise AreaRejected(
                _("Das Koordinatensystem der Datei ist unbekannt; bitte eine .prj-Datei mitgeben.")
            ) from None
        pieces.append((number, bytes(geom.wkb)))
    return pieces


_CHECK_SQL = """
SELECT ST_IsValid(g), ST_IsValidReason(g),
       ST_AsBinary(ST_CollectionExtract(ST_MakeValid(g), 3))
FROM (SELECT ST_Force2D(ST_CurveToLine(ST_GeomFromWKB(%s, 4326))) AS g) AS source
"""


def _repair(number: int, wkb: bytes, repaired: list[str]) -> bytes:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_CHECK_SQL, [wkb])
            valid, reason, fixed = cursor.fetchone()
    except DatabaseError:
        raise AreaRejected(
            _(
                "Die Fläche von Objekt %(number)s ist beschädigt (zu wenige Punkte oder nicht "
                "geschlossen) und kann nicht repariert werden. Nichts wurde gespeichert."
            )
            % {"number": number}
        ) from None
    if not valid:
        repaired.append(
            _("Objekt %(number)s repariert (%(reason)s)") % {"number": number, "reason": reason}
        )
    return bytes(fixed)


def _union(parts: list[bytes]) -> MultiPolygon:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect("
            "ST_GeomFromWKB(w, 4326))), 3))) FROM unnest(%s::bytea[]) AS w",
            [parts],
        )
        row = cursor.fetchone()
    geom = GEOSGeometry(memoryview(row[0])) if row and row[0] is not None else None
    if geom is None or geom.empty or not isinstance(geom, MultiPolygon):
        raise AreaRejected(
            _(
                "Nach der Reparatur der Geometrie bleibt keine Fläche übrig (sie besteht nur "
                "aus Linien oder Punkten). Nichts wurde gespeichert."
            )
        )
    geom.srid = WGS84
    return geom


def _plausible(geom: MultiPolygon) -> None:
    west, south, east, north = geom.extent
    if west < PLAUSIBLE[0] or south < PLAUSIBLE[1] or east > PLAUSIBLE[2] or north > PLAUSIBLE[3]:
        raise AreaRejected(
            _(
                "Die Fläche liegt nicht in Deutschland (%(west).3f, %(south).3f – %(east).3f, "
                "%(north).3f). Ist das Koordinatensystem richtig angegeben (.prj, srsName)?"
            )
            % {"west": west, "south": south, "east": east, "north": north}
        )
    if area_m2(geom) > MAX_AREA_KM2 * 1_000_000:
        raise AreaRejected(
            _("Die Fläche ist größer als %(max)s km²; ist das die richtige Ebene?")
            % {"max": int(MAX_AREA_KM2)}
        )


def read_area(path: str | Path, *, layer: str | None = None) -> AreaResult:
    """The plan area in the file at `path`, checked and repaired; AreaRejected otherwise."""
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        raise AreaRejected(_("Die Datei ist leer oder fehlt."))
    source = _open(path)
    if source.layer_count == 0:
        raise AreaRejected(_("Die Datei enthält keine Ebene mit Geodaten."))
    chosen = _choose_layer(source, layer)
    pieces = _wgs84_wkbs(chosen)
    if not pieces:
        raise AreaRejected(_("Die gewählte Ebene enthält keine Flächen (Polygone)."))
    repaired: list[str] = []
    parts = [_repair(number, wkb, repaired) for number, wkb in pieces]
    geom = _union(parts)
    _plausible(geom)
    return AreaResult(geom=geom, layer=str(chosen.name), features=len(pieces), repaired=repaired)


@contextmanager
def uploaded_file(upload: IO[bytes], filename: str) -> Iterator[Path]:
    """An uploaded file on disk in a private temporary folder (GDAL reads paths), under a
    name of our own with the upload's suffix; removed afterwards."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise AreaRejected(
            _("Dateityp „%(suffix)s“ wird nicht angenommen. Erlaubt: %(allowed)s.")
            % {"suffix": suffix or "?", "allowed": ", ".join(SUFFIXES)}
        )
    folder = Path(tempfile.mkdtemp(prefix="plan-area-"))
    try:
        target = folder / f"area{suffix}"
        written = 0
        with target.open("wb") as out:
            for chunk in iter(lambda: upload.read(1024 * 1024), b""):
                written += len(chunk)
                if written > MAX_BYTES:
                    raise AreaRejected(
                        _("Die Datei ist größer als %(mb)s MB.") % {"mb": MAX_BYTES // 2**20}
                    )
                out.write(chunk)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)
