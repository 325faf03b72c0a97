"""Import official boundaries (BKG VG250/VG5000, a county's own files) into a boundary set.

The whole file is read and checked before anything is written; writing happens in one
transaction, rolled back unless `commit=True` (dry run by default, as MapIt does), so a broken
file never leaves half an import behind. Re-importing the same file into the same set changes
nothing but the geometry it replaces, so the import is idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.db import connection, transaction
from django.utils.text import slugify

from geo.readers import ImportFileError, SourceFeature, open_layer, text

from .models import Authority, Boundary, BoundarySet, Level
from .sets import EmptyGeometry, activate_set, store_boundary

# AGS lengths per level: Land 2, Kreis 5, Gemeinde 8. Samtgemeinden and Ämter have no AGS of
# their own; they are identified by the first 9 digits of the ARS (the Verbandsschlüssel).
AGS_LENGTH = {Level.LAND: 2, Level.KREIS: 5, Level.GEMEINDE: 8}
ARS_LENGTHS = (9, 12)

# Where a code's prefix names the parent: (child level, parent level) → prefix length.
_PARENT_PREFIX = {
    (Level.GEMEINDE, Level.KREIS): 5,
    (Level.KREIS, Level.LAND): 2,
    (Level.SAMTGEMEINDE, Level.KREIS): 5,
    (Level.GEMEINDE, Level.LAND): 2,
    (Level.SAMTGEMEINDE, Level.LAND): 2,
}

_PARENT_BY_CONTAINMENT_SQL = """
    UPDATE boundaries_authority a SET parent_id = hit.authority_id
    FROM boundaries_boundary b
    CROSS JOIN LATERAL (
        SELECT p.authority_id FROM boundaries_boundarypiece p
        WHERE p.level = %s AND p.is_active AND p.authority_id <> b.authority_id
          AND ST_Covers(p.geom, ST_PointOnSurface(b.geom))
        ORDER BY p.authority_id LIMIT 1
    ) hit
    WHERE b.boundary_set_id = %s AND a.id = b.authority_id AND a.id = ANY(%s)
    RETURNING a.id
"""


@dataclass
class _Territory:
    code: str
    name: str
    parts: list[GEOSGeometry] = field(default_factory=list)
    largest_area: float = -1.0


@dataclass
class BoundaryImportSummary:
    path: Path
    level: str
    set_name: str
    committed: bool
    features: int = 0
    territories: int = 0
    merged_duplicates: int = 0
    repaired: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    parents_by_code: int = 0
    parents_by_containment: int = 0
    without_parent: int = 0
    activated: bool = False
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        mode = "imported" if self.committed else "DRY RUN (nothing stored; add --commit)"
        lines = [
            f"{self.path.name} → set {self.set_name!r} ({self.level}): {mode}",
            f"  features read:            {self.features}",
            f"  territories (by code):    {self.territories}",
            f"  duplicates merged:        {self.merged_duplicates}",
            f"  geometries repaired:      {self.repaired}",
            f"  authorities created:      {self.created}",
            f"  authorities renamed:      {self.updated}",
            f"  authorities unchanged:    {self.unchanged}",
            f"  dropped from the set:     {self.removed}",
        ]
        if self.parents_by_code or self.parents_by_containment or self.without_parent:
            lines.append(
                f"  parents: {self.parents_by_code} by code, "
                f"{self.parents_by_containment} by containment, {self.without_parent} not found"
            )
        lines.append(
            "  set activated" if self.activated else "  set not activated (use --activate)"
        )
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return lines


def _polygons(geom: GEOSGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    return [part for part in geom if isinstance(part, Polygon)]  # type: ignore[attr-defined]


def _merge(parts: list[GEOSGeometry]) -> MultiPolygon:
    """One MultiPolygon from a territory's parts (VG250 ships land and water parts of one AGS
    as separate features). Touching parts are dissolved; ST_MakeValid repairs the rest."""
    if len(parts) == 1:
        merged: GEOSGeometry = parts[0]
    else:
        try:
            merged = MultiPolygon([p for part in parts for p in _polygons(part)]).unary_union
        except GEOSException:
            merged = MultiPolygon([p for part in parts for p in _polygons(part)])
    result = merged if isinstance(merged, MultiPolygon) else MultiPolygon(_polygons(merged))
    result.srid = 4326
    return result


def _code_kind(level: str, code: str) -> str:
    """ "ags" or "ars" for a code of this level, or raise with what was expected."""
    expected = AGS_LENGTH.get(Level(level))
    if code.isdigit() and expected is not None and len(code) == expected:
        return "ags"
    if code.isdigit() and len(code) in ARS_LENGTHS:
        return "ars"
    wanted = f"{expected}-digit AGS or " if expected else ""
    raise ImportFileError(f"code {code!r} is not a {wanted}9/12-digit ARS for level {level}")


def _read(
    path: Path,
    *,
    level: str,
    code_field: str,
    name_field: str,
    layer: str | None,
    where: dict[str, str],
) -> tuple[int, dict[str, _Territory]]:
    source = open_layer(path, layer)
    source.require_fields(code_field, name_field, *where)
    territories: dict[str, _Territory] = {}
    count = 0
    feature: SourceFeature
    for feature in source.features(("Polygon", "MultiPolygon")):
        if any(text(feature.attributes[key]) != value for key, value in where.items()):
            continue
        count += 1
        code = text(feature.attributes[code_field])
        name = text(feature.attributes[name_field])
        if not code:
            raise ImportFileError(f"{path.name}: feature {feature.number} has no {code_field}")
        try:
            _code_kind(level, code)
        except ImportFileError as exc:
            raise ImportFileError(f"{path.name}: feature {feature.number}: {exc}") from exc
        geom = feature.geom.geos
        territory = territories.setdefault(code, _Territory(code=code, name=name))
        territory.parts.append(geom)
        # The name of the biggest part wins (the land part, not a sliver of coastal water).
        area = geom.area
        if name and area > territory.largest_area:
            territory.name, territory.largest_area = name, area
    if not territories:
        condition = f" matching {where}" if where else ""
        raise ImportFileError(f"{path.name}: contains no features{condition}")
    return count, territories


def _authority_for(level: str, territory: _Territory) -> tuple[Authority, str]:
    """The authority with this code at this level (created if new). Returns (authority, what)
    where what is "created", "updated" (renamed) or "unchanged"."""
    kind = _code_kind(level, territory.code)
    lookup = {"level": level, kind: territory.code}
    authority = Authority.objects.filter(**lookup).first()
    name = territory.name or territory.code
    if authority is None:
        slug = slugify(f"{name}-{territory.code}")[:100]
        if Authority.objects.filter(slug=slug).exists():
            slug = slugify(f"{level}-{territory.code}")[:100]
        extra = (
            {"ags": territory.code[:5] + territory.code[9:]} if len(territory.code) == 12 else {}
        )
        return Authority.objects.create(name=name, slug=slug, **lookup, **extra), "created"
    if authority.name != name:
        authority.name = name
        authority.save(update_fields=["name"])
        return authority, "updated"
    return authority, "unchanged"


def _link_parents(
    summary: BoundaryImportSummary,
    boundary_set: BoundarySet,
    authorities: list[Authority],
    parent_level: str,
) -> None:
    prefix = _PARENT_PREFIX.get((Level(summary.level), Level(parent_level)))
    unresolved: list[int] = []
    for authority in authorities:
        code = authority.ags or authority.ars
        parent = None
        if prefix and code:
            parent = (
                Authority.objects.filter(level=parent_level, ags=code[:prefix]).first()
                or Authority.objects.filter(level=parent_level, ars=code[:prefix]).first()
            )
        if parent is not None:
            if authority.parent_id != parent.pk:
                authority.parent = parent
                authority.save(update_fields=["parent"])
            summary.parents_by_code += 1
        else:
            unresolved.append(authority.pk)
    if not unresolved:
        return
    # No code relation (e.g. Gemeinde → Samtgemeinde without ARS): the parent level's active
    # boundary that covers a point inside the child.
    with connection.cursor() as cursor:
        cursor.execute(_PARENT_BY_CONTAINMENT_SQL, [parent_level, boundary_set.pk, unresolved])
        summary.parents_by_containment = len(cursor.fetchall())
    summary.without_parent = len(unresolved) - summary.parents_by_containment
    if summary.without_parent:
        summary.warnings.append(
            f"{summary.without_parent} authorities have no {parent_level} parent (none covers "
            "them: normal for verbandsfreie Gemeinden; otherwise import and activate that level "
            "first, or check the codes)"
        )


def _boundary_set(name: str, level: str, source: str) -> BoundarySet:
    boundary_set, _ = BoundarySet.objects.get_or_create(
        name=name, defaults={"level": level, "source": source}
    )
    if boundary_set.level != level:
        raise ImportFileError(
            f"set {name!r} holds level {boundary_set.level}, not {level}; choose another --set"
        )
    return boundary_set


def _store_territories(
    path: Path,
    boundary_set: BoundarySet,
    level: str,
    territories: dict[str, Any],
    summary: BoundaryImportSummary,
) -> list[Authority]:
    """Create or update each territory's authority and store its boundary in the set."""
    authorities: list[Authority] = []
    counts: dict[str, int] = defaultdict(int)
    for territory in territories.values():
        authority, what = _authority_for(level, territory)
        counts[what] += 1
        try:
            _, repaired = store_boundary(boundary_set, authority, _merge(territory.parts))
        except EmptyGeometry as exc:
            raise ImportFileError(f"{path.name}: {exc}") from exc
        summary.repaired += int(repaired)
        authorities.append(authority)
    summary.created, summary.updated = counts["created"], counts["updated"]
    summary.unchanged = counts["unchanged"]
    return authorities


def import_boundaries(
    path: str | Path,
    *,
    level: str,
    code_field: str = "ags",
    name_field: str = "name",
    parent_level: str | None = None,
    set_name: str | None = None,
    layer: str | None = None,
    where: dict[str, str] | None = None,
    activate: bool | None = None,
    source: str = "",
    commit: bool = False,
) -> BoundaryImportSummary:
    """Import `path` into boundary set `set_name` (default: "<level>-<file stem>").

    `activate=None` activates the set when its level has no active set yet; True always;
    False never. `where` keeps only features whose fields equal the given values (e.g.
    {"vb_type": "Samtgemeinde"}). Raises ImportFileError; nothing is stored then, nor
    without `commit`."""
    path = Path(path)
    if level not in Level.values or level == Level.OPERATOR:
        raise ImportFileError(f"unknown territorial level {level!r}")
    if parent_level is not None and (parent_level not in Level.values or parent_level == level):
        raise ImportFileError(f"unusable parent level {parent_level!r}")
    set_name = set_name or f"{level}-{path.stem}"[:100]
    features, territories = _read(
        path,
        level=level,
        code_field=code_field,
        name_field=name_field,
        layer=layer,
        where=where or {},
    )
    summary = BoundaryImportSummary(
        path=path, level=level, set_name=set_name, committed=commit, features=features
    )
    summary.territories = len(territories)
    summary.merged_duplicates = features - len(territories)

    with transaction.atomic():
        boundary_set = _boundary_set(set_name, level, source or path.name)
        authorities = _store_territories(path, boundary_set, level, territories, summary)
        # The set mirrors the file: territories no longer in it leave the set (old sets keep
        # them, and reports keep the authority they were routed to).
        stale = Boundary.objects.filter(boundary_set=boundary_set).exclude(
            authority__in=authorities
        )
        summary.removed = stale.count()
        stale.delete()
        has_active = BoundarySet.objects.filter(level=level, is_active=True).exists()
        if activate or (activate is None and not has_active) or boundary_set.is_active:
            if not boundary_set.is_active:
                activate_set(boundary_set)
            summary.activated = True
        if parent_level:
            _link_parents(summary, boundary_set, authorities, parent_level)
        if not commit:
            transaction.set_rollback(True)
    return summary
