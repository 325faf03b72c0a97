"""`import_addresses`: official house coordinates into `AddressPoint`.

Reads the states' open "Hauskoordinaten" / ALKIS exports (CSV with UTM coordinates, or
GeoPackage) and OSM `addr:*` points or buildings (GeoJSON, GeoPackage). The file is read and
checked completely before anything is written; rows are matched on their address (street,
house number, postcode, town), so a second run changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction

from .importer import GeoImportSummary, upsert
from .models import AddressPoint
from .readers import ImportFileError, PointTable, find_field, open_csv, open_layer, text
from .srid import WGS84

# Column names tried (case-insensitively) when the command does not name them: OSM tags,
# plain English/German names, and the short names of the official Hauskoordinaten.
STREET_NAMES = ("addr:street", "street", "strasse", "straße", "stn", "strassenname")
NUMBER_NAMES = ("addr:housenumber", "housenumber", "house_number", "hausnummer", "hnr")
SUFFIX_NAMES = ("adz", "hausnummernzusatz", "zusatz")
POSTCODE_NAMES = ("addr:postcode", "postcode", "plz", "postleitzahl")
TOWN_NAMES = ("addr:city", "city", "town", "ort", "onm", "gemeinde", "ortsname")


@dataclass(frozen=True)
class AddressFields:
    street: str | None = None
    number: str | None = None
    suffix: str | None = None
    postcode: str | None = None
    town: str | None = None

    def resolved(self, layer: PointTable) -> AddressFields:
        """The given column names, else the first known name the file has; street and house
        number must exist."""
        fields = layer.fields
        chosen = AddressFields(
            street=self.street or find_field(fields, STREET_NAMES),
            number=self.number or find_field(fields, NUMBER_NAMES),
            suffix=self.suffix or find_field(fields, SUFFIX_NAMES),
            postcode=self.postcode or find_field(fields, POSTCODE_NAMES),
            town=self.town or find_field(fields, TOWN_NAMES),
        )
        if not chosen.street or not chosen.number:
            raise ImportFileError(
                f"{layer.path.name}: no street or house number column found; name them with "
                f"--street-field and --number-field (the file has: {', '.join(fields)})"
            )
        layer.require_fields(
            chosen.street, chosen.number, chosen.suffix, chosen.postcode, chosen.town
        )
        return chosen


def normalise_house_number(value: str) -> str:
    """ "5 a" → "5a", "12 - 14" → "12-14": one spelling for the search."""
    return re.sub(r"\s+", "", value).lower()[:20]


def _open(path: Path, layer: str | None, csv_options: dict[str, Any]) -> PointTable:
    if path.suffix.lower() in (".csv", ".txt"):
        return open_csv(path, **csv_options)
    return open_layer(path, layer)


def read_addresses(
    path: Path,
    fields: AddressFields,
    *,
    layer: str | None = None,
    csv_options: dict[str, Any] | None = None,
    source: str = "",
    commit: bool = False,
) -> tuple[list[dict[str, Any]], GeoImportSummary]:
    """Address rows of a file; ImportFileError when it is unusable. Features without street
    or house number are skipped and counted; the same address twice keeps the first."""
    table = _open(path, layer, csv_options or {})
    names = fields.resolved(table)
    summary = GeoImportSummary(path=path, kind="address points", committed=commit, has_owners=False)
    rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    skipped = duplicates = 0
    for feature in table.features(("Point", "MultiPoint", "Polygon", "MultiPolygon")):
        summary.features += 1
        attrs = feature.attributes

        def value(name: str | None, attrs: dict[str, Any] = attrs) -> str:
            return text(attrs.get(name)) if name else ""

        street = " ".join(value(names.street).split())[:200]
        number = normalise_house_number(value(names.number) + value(names.suffix))
        if not street or not number:
            skipped += 1
            continue
        geom = feature.geom.geos
        point = geom if isinstance(geom, Point) else geom.point_on_surface
        point.srid = WGS84
        key = (street, number, value(names.postcode)[:10], value(names.town)[:200])
        if key in rows:
            duplicates += 1
            continue
        rows[key] = {
            "street": key[0],
            "house_number": key[1],
            "postcode": key[2],
            "town": key[3],
            "geom": point,
            "source": (source or path.name)[:200],
        }
    if not rows:
        raise ImportFileError(f"{path.name}: no feature has both a street and a house number")
    if skipped:
        summary.warnings.append(f"{skipped} feature(s) without street or house number skipped")
    if duplicates:
        summary.warnings.append(f"{duplicates} duplicate address(es) skipped (first one kept)")
    return list(rows.values()), summary


def import_addresses(
    path: str | Path,
    fields: AddressFields | None = None,
    *,
    layer: str | None = None,
    csv_options: dict[str, Any] | None = None,
    source: str = "",
    commit: bool = False,
) -> GeoImportSummary:
    """Read a file completely, then create/update its address points in one transaction
    (rolled back unless `commit`)."""
    path = Path(path)
    rows, summary = read_addresses(
        path,
        fields or AddressFields(),
        layer=layer,
        csv_options=csv_options,
        source=source,
        commit=commit,
    )
    with transaction.atomic():
        upsert(
            AddressPoint,
            ("street", "house_number", "postcode", "town"),
            rows,
            ("geom", "source"),
            summary,
        )
        if not commit:
            transaction.set_rollback(True)
    return summary
