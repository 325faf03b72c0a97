"""Metric spatial filters as ORM expressions, matching the `geom::geography` expression indexes.

Django's `dwithin` on a WGS84 geometry column wants degrees; we want metres and an index scan,
so these expressions cast to geography exactly as the expression indexes do.
"""

from __future__ import annotations

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import GeoFunc
from django.contrib.gis.geos import Point
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from .srid import WGS84


def within_metres(column: str, point: Point, metres: float) -> RawSQL:
    """`ST_DWithin(<column>::geography, point::geography, metres)`; `column` is a trusted,
    table-qualified column name from code, never user input."""
    sql = f"ST_DWithin({column}::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)"
    return RawSQL(  # noqa: S611 - column is a constant from our code, values are parameters
        sql,
        (point.x, point.y, metres),
        output_field=BooleanField(),
    )


def distance_metres(column: str, point: Point) -> RawSQL:
    """Geodesic distance in metres from `column` to `point`."""
    sql = f"ST_Distance({column}::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)"
    return RawSQL(  # noqa: S611 - column is a constant from our code, values are parameters
        sql,
        (point.x, point.y),
        output_field=FloatField(),
    )


class SimplifyPreserveTopology(GeoFunc):
    """ST_SimplifyPreserveTopology(geom, tolerance): never collapses or self-intersects."""

    function = "ST_SimplifyPreserveTopology"
    geom_param_pos = (0,)
    output_field = GeometryField(srid=WGS84)


class Multi(GeoFunc):
    """ST_Multi: simplification may return a Polygon; clients get one geometry type."""

    function = "ST_Multi"
    output_field = GeometryField(srid=WGS84)
