"""Writing boundary sets: store valid geometry, maintain the subdivided pieces, activate.

Used by the import commands, the demo region and tests, so every boundary in the database
went through the same validation and subdivision.
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.utils import timezone

from .models import Authority, Boundary, BoundarySet

# Vertices per subdivided piece: small enough for fast point-in-polygon, large enough to keep
# the piece table small (MapIt uses similar values).
SUBDIVIDE_MAX_VERTICES = 128

# Repair on the way in: ST_MakeValid, keep only polygons, force MultiPolygon.
_UPSERT_BOUNDARY_SQL = """
    INSERT INTO boundaries_boundary (boundary_set_id, authority_id, geom)
    VALUES (%s, %s, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromEWKB(%s)), 3)))
    ON CONFLICT (boundary_set_id, authority_id)
    DO UPDATE SET geom = EXCLUDED.geom
    RETURNING id, NOT ST_IsValid(ST_GeomFromEWKB(%s)), ST_IsEmpty(geom)
"""

_PIECES_SQL = """
    INSERT INTO boundaries_boundarypiece (boundary_id, authority_id, level, is_active, geom)
    SELECT b.id, b.authority_id, s.level, s.is_active, ST_Subdivide(b.geom, %s)
    FROM boundaries_boundary b JOIN boundaries_boundaryset s ON s.id = b.boundary_set_id
    WHERE b.id = ANY(%s)
"""


class EmptyGeometry(ValueError):
    """Nothing polygonal remained of a geometry after repair."""


def store_boundary(
    boundary_set: BoundarySet, authority: Authority, geom: GEOSGeometry
) -> tuple[Boundary, bool]:
    """Insert or replace `authority`'s boundary in `boundary_set`, repaired with ST_MakeValid,
    and rebuild its subdivided pieces. Returns (boundary, was_repaired)."""
    if geom.srid is None:
        geom.srid = 4326
    elif geom.srid != 4326:
        geom = geom.transform(4326, clone=True)
    with transaction.atomic(), connection.cursor() as cursor:
        ewkb = bytes(geom.ewkb)
        cursor.execute(_UPSERT_BOUNDARY_SQL, [boundary_set.pk, authority.pk, ewkb, ewkb])
        boundary_id, repaired, empty = cursor.fetchone()
        if empty:
            raise EmptyGeometry(f"{authority.name}: geometry has no polygonal part")
        cursor.execute("DELETE FROM boundaries_boundarypiece WHERE boundary_id = %s", [boundary_id])
        cursor.execute(_PIECES_SQL, [SUBDIVIDE_MAX_VERTICES, [boundary_id]])
    return Boundary.objects.get(pk=boundary_id), bool(repaired)


def _set_pieces_active(set_ids: list[int], active: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE boundaries_boundarypiece p SET is_active = %s FROM boundaries_boundary b "
            "WHERE b.id = p.boundary_id AND b.boundary_set_id = ANY(%s)",
            [active, set_ids],
        )


@transaction.atomic
def activate_set(boundary_set: BoundarySet) -> None:
    """Make `boundary_set` the active one of its level; the previous one stays stored."""
    previous_ids = list(
        BoundarySet.objects.select_for_update()
        .filter(level=boundary_set.level, is_active=True)
        .exclude(pk=boundary_set.pk)
        .values_list("pk", flat=True)
    )
    if previous_ids:
        BoundarySet.objects.filter(pk__in=previous_ids).update(is_active=False)
        _set_pieces_active(previous_ids, False)
    BoundarySet.objects.filter(pk=boundary_set.pk).update(
        is_active=True, activated_at=timezone.now()
    )
    _set_pieces_active([boundary_set.pk], True)
    boundary_set.refresh_from_db()
