"""`import_roads` / `import_assets`: the road network and point assets, with their owners.

geo.importer reads and checks the file completely first; here the owners are derived from the
active boundaries with the same rules that `route()` uses (so import the boundaries first), and
the rows are written in one transaction that is rolled back unless `commit=True`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from geo.importer import GeoImportSummary, check_asset_type, read_assets, read_roads, upsert
from geo.models import Asset, RoadSegment
from geo.readers import ImportFileError

from .models import Authority, Level
from .services import authorities_at, road_owner_at, route_many


def import_roads(
    path: str | Path,
    *,
    ref_field: str = "ref",
    highway_field: str = "highway",
    name_field: str = "name",
    id_field: str | None = None,
    ortsdurchfahrt_field: str | None = None,
    layer: str | None = None,
    source: str = "",
    commit: bool = False,
) -> GeoImportSummary:
    """Import road segments; class from the ref (or highway tag), owner = the
    Straßenbaulastträger at each segment's midpoint."""
    rows, summary = read_roads(
        Path(path),
        ref_field=ref_field,
        highway_field=highway_field,
        name_field=name_field,
        id_field=id_field,
        ortsdurchfahrt_field=ortsdurchfahrt_field,
        layer=layer,
        source=source,
        commit=commit,
    )
    with transaction.atomic():
        _assign_road_owners(rows, summary)
        upsert(
            RoadSegment,
            ("external_id",),
            rows,
            ("geom", "road_class", "ref", "name", "ortsdurchfahrt", "owner_id", "source"),
            summary,
        )
        if not commit:
            transaction.set_rollback(True)
    return summary


def _assign_road_owners(rows: list[dict[str, Any]], summary: GeoImportSummary) -> None:
    # Many segments share class, Ortsdurchfahrt and covering authorities: decide each once.
    owners_cache: dict[tuple[str, bool, tuple[int, ...]], int | None] = {}
    for row in rows:
        covering = authorities_at(row["geom"].interpolate_normalized(0.5))
        key = (row["road_class"], row["ortsdurchfahrt"], tuple(a.id for a in covering))
        if key not in owners_cache:
            owners_cache[key] = road_owner_at(row["road_class"], row["ortsdurchfahrt"], covering)[0]
        row["owner_id"] = owners_cache[key]
        summary.without_owner += row["owner_id"] is None


def import_assets(
    path: str | Path,
    *,
    asset_type: str | None = None,
    type_field: str | None = None,
    id_field: str = "id",
    name_field: str | None = "name",
    owner: str | None = None,
    layer: str | None = None,
    source: str = "",
    commit: bool = False,
) -> GeoImportSummary:
    """Import point assets of one type (`asset_type`) or of the type in `type_field` (values
    are our asset types: streetlight, bench, bin …). The owner is the authority with slug
    `owner`, else the Gemeinde covering the asset (after delegation, e.g. to its
    Samtgemeinde)."""
    check_asset_type(asset_type, type_field)
    owner_authority = None
    if owner:
        owner_authority = Authority.objects.filter(slug=owner).first()
        if owner_authority is None:
            raise ImportFileError(f"no authority with slug {owner!r}")
    rows, summary = read_assets(
        Path(path),
        asset_type=asset_type,
        type_field=type_field,
        id_field=id_field,
        name_field=name_field,
        layer=layer,
        source=source,
        commit=commit,
    )
    with transaction.atomic():
        if owner_authority is not None:
            owner_ids: list[int | None] = [owner_authority.pk] * len(rows)
        else:
            owner_ids = route_many(
                [row["geom"].x for row in rows], [row["geom"].y for row in rows], Level.GEMEINDE
            )
        for row, owner_id in zip(rows, owner_ids, strict=True):
            row["owner_id"] = owner_id
            summary.without_owner += owner_id is None
        upsert(
            Asset,
            ("asset_type", "external_id"),
            rows,
            ("geom", "name", "owner_id", "source"),
            summary,
        )
        if not commit:
            transaction.set_rollback(True)
    return summary
