"""Reading the road network and point assets (GeoJSON from OSM tools, Shapefile, GeoPackage).

This is geo's half of `import_roads` / `import_assets`: read and check a file completely into
rows (class from the ref, ids, geometry), and upsert rows on their external id, so running an
import twice changes nothing. Who owns a road or an asset is boundaries' question: the import
itself, with owner assignment, is boundaries.network_import.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Point

from .models import AssetType, RoadClass
from .readers import ImportFileError, open_layer, text

# "K 45", "B37", "L 216a", "St 2047" (Bavarian Staatsstraße), "S 84" (Saxon Staatsstraße).
_REF_RE = re.compile(r"^\s*(A|B|L|K|St|S)\s*\d", re.IGNORECASE)
_REF_CLASS = {"a": "A", "b": "B", "l": "L", "st": "L", "s": "L", "k": "K"}
_CLASS_RANK = {"A": 0, "B": 1, "L": 2, "K": 3, "G": 4, "O": 5}
# Without a ref, OSM's highway tag still tells motorways and the typical municipal streets.
_HIGHWAY_CLASS = {
    "motorway": "A",
    "motorway_link": "A",
    "residential": "G",
    "living_street": "G",
    "unclassified": "G",
    "tertiary": "G",
    "tertiary_link": "G",
    "pedestrian": "G",
    "road": "G",
}
_TRUE = {"1", "true", "yes", "ja", "y", "j"}


def road_class_of(ref: str, highway: str = "") -> str:
    """The road class from an OSM/official ref such as "K 45" or "B 37;B 38" (the highest class
    of several refs wins: a stretch shared by a B and an L road is maintained as the B road),
    else from the highway tag; "O" when neither tells."""
    classes = []
    for part in re.split(r"[;,/]", ref):
        match = _REF_RE.match(part)
        if match:
            classes.append(_REF_CLASS[match.group(1).lower()])
    if classes:
        return min(classes, key=_CLASS_RANK.__getitem__)
    return _HIGHWAY_CLASS.get(highway.strip().lower(), RoadClass.OTHER.value)


def normalise_ref(ref: str) -> str:
    """ "K45; K 46" → "K 45;K 46": one spelling, so searching and grouping by ref works."""
    parts = []
    for part in re.split(r";", ref):
        part = part.strip()
        match = re.match(r"^([A-Za-z]+)\s*(\S.*)$", part)
        parts.append(f"{match.group(1)} {match.group(2)}" if match else part)
    return ";".join(p for p in parts if p)[:100]


def external_id(prefix: str, value: str, geom: GEOSGeometry) -> str:
    if value:
        return value if ":" in value else f"{prefix}:{value}"
    return "geom:" + hashlib.sha1(bytes(geom.wkb), usedforsecurity=False).hexdigest()


@dataclass
class GeoImportSummary:
    path: Path
    kind: str
    committed: bool
    features: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    without_owner: int = 0
    has_owners: bool = True
    by_class: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        mode = "imported" if self.committed else "DRY RUN (nothing stored; add --commit)"
        lines = [
            f"{self.path.name} → {self.kind}: {mode}",
            f"  features read:   {self.features}",
            f"  created:         {self.created}",
            f"  updated:         {self.updated}",
            f"  unchanged:       {self.unchanged}",
        ]
        if self.has_owners:
            lines.append(f"  without owner:   {self.without_owner} (outside the active boundaries)")
        if self.by_class:
            counts = ", ".join(f"{key} {value}" for key, value in sorted(self.by_class.items()))
            lines.append(f"  by class/type:   {counts}")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return lines


def upsert(
    model: Any,  # RoadSegment or Asset
    key_fields: tuple[str, ...],
    rows: list[dict[str, Any]],
    compare: tuple[str, ...],
    summary: GeoImportSummary,
) -> None:
    """Create new rows, update changed ones, leave identical ones alone (counted in
    `summary`)."""
    keys = {tuple(row[k] for k in key_fields) for row in rows}
    existing: dict[tuple[Any, ...], Any] = {}
    lookup = {f"{key_fields[-1]}__in": [k[-1] for k in keys]}
    for obj in model.objects.filter(**lookup):
        existing[tuple(getattr(obj, k) for k in key_fields)] = obj
    to_create: list[Any] = []
    to_update: list[Any] = []
    for row in rows:
        obj = existing.get(tuple(row[k] for k in key_fields))
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = False
        for name in compare:
            current, new = getattr(obj, name), row[name]
            same = (
                current.equals_exact(new, 1e-9)
                if isinstance(new, GEOSGeometry)
                else (current == new)
            )
            if not same:
                setattr(obj, name, new)
                changed = True
        if changed:
            to_update.append(obj)
        else:
            summary.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, list(compare), batch_size=1000)
    summary.created, summary.updated = len(to_create), len(to_update)


def read_roads(
    path: Path,
    *,
    ref_field: str = "ref",
    highway_field: str = "highway",
    name_field: str = "name",
    id_field: str | None = None,
    ortsdurchfahrt_field: str | None = None,
    layer: str | None = None,
    source: str = "",
    commit: bool = False,
) -> tuple[list[dict[str, Any]], GeoImportSummary]:
    """Road segment rows (without owner) of a file; ImportFileError when it is unusable."""
    reader = open_layer(path, layer)
    if id_field is None:
        id_field = next((f for f in ("osm_id", "id", "@id") if f in reader.fields), None)
    optional = [f for f in (ref_field, highway_field, name_field) if f in reader.fields]
    if ref_field not in reader.fields and highway_field not in reader.fields:
        reader.require_fields(ref_field)
    reader.require_fields(id_field, ortsdurchfahrt_field)
    summary = GeoImportSummary(path=path, kind="road segments", committed=commit)

    rows: list[dict[str, Any]] = []
    for feature in reader.features(("LineString", "MultiLineString")):
        summary.features += 1
        attrs = {name: text(feature.attributes.get(name)) for name in optional}
        ref = normalise_ref(attrs.get(ref_field, ""))
        road_class = road_class_of(ref, attrs.get(highway_field, ""))
        geom = feature.geom.geos
        lines = list(geom) if isinstance(geom, MultiLineString) else [geom]
        base_id = text(feature.attributes.get(id_field)) if id_field else ""
        odf = bool(
            ortsdurchfahrt_field
            and text(feature.attributes.get(ortsdurchfahrt_field)).lower() in _TRUE
        )
        for index, line in enumerate(lines):
            if not isinstance(line, LineString) or line.num_points < 2:
                continue
            line.srid = 4326
            row_id = external_id("osm", base_id, line)
            if len(lines) > 1:
                row_id = f"{row_id}#{index + 1}"
            rows.append(
                {
                    "external_id": row_id[:100],
                    "geom": line,
                    "road_class": road_class,
                    "ref": ref,
                    "name": attrs.get(name_field, "")[:200],
                    "ortsdurchfahrt": odf,
                    "source": (source or path.name)[:200],
                }
            )
            summary.by_class[road_class] = summary.by_class.get(road_class, 0) + 1
    duplicates = len(rows) - len({row["external_id"] for row in rows})
    if duplicates:
        raise ImportFileError(f"{path.name}: {duplicates} features share an id in {id_field!r}")
    return rows, summary


def check_asset_type(asset_type: str | None, type_field: str | None) -> None:
    """Exactly one of a fixed type or a type field, and a fixed type must be one of ours."""
    if (asset_type is None) == (type_field is None):
        raise ImportFileError("give exactly one of --type or --type-field")
    if asset_type is not None and asset_type not in AssetType.values:
        raise ImportFileError(
            f"unknown asset type {asset_type!r}; known: {', '.join(AssetType.values)}"
        )


def read_assets(
    path: Path,
    *,
    asset_type: str | None = None,
    type_field: str | None = None,
    id_field: str = "id",
    name_field: str | None = "name",
    layer: str | None = None,
    source: str = "",
    commit: bool = False,
) -> tuple[list[dict[str, Any]], GeoImportSummary]:
    """Asset rows (without owner) of a file; polygons (a playground) become a point inside."""
    check_asset_type(asset_type, type_field)
    reader = open_layer(path, layer)
    name_field = name_field if name_field in reader.fields else None
    reader.require_fields(id_field, type_field)
    summary = GeoImportSummary(path=path, kind="assets", committed=commit)

    rows: list[dict[str, Any]] = []
    for feature in reader.features(("Point", "MultiPoint", "Polygon", "MultiPolygon")):
        summary.features += 1
        kind = asset_type or text(feature.attributes.get(type_field or "")).lower()
        if kind not in AssetType.values:
            raise ImportFileError(
                f"{path.name}: feature {feature.number} has unknown type {kind!r}; "
                f"known: {', '.join(AssetType.values)}"
            )
        row_id = text(feature.attributes[id_field])
        if not row_id:
            raise ImportFileError(f"{path.name}: feature {feature.number} has no {id_field}")
        geom = feature.geom.geos
        point = geom if isinstance(geom, Point) else geom.point_on_surface
        point.srid = 4326
        name = text(feature.attributes[name_field]) if name_field else ""
        rows.append(
            {
                "asset_type": kind,
                "external_id": row_id[:100],
                "geom": point,
                "name": name[:200],
                "source": (source or path.name)[:200],
            }
        )
        summary.by_class[kind] = summary.by_class.get(kind, 0) + 1
    keys = [(row["asset_type"], row["external_id"]) for row in rows]
    if len(keys) != len(set(keys)):
        raise ImportFileError(f"{path.name}: {len(keys) - len(set(keys))} duplicate ids")
    return rows, summary
