"""Query parameters with geometry: parsed into GEOS objects, refused with a German message.

Errors are Django `ValidationError`s keyed by the parameter, which the API's exception
handler (config/exceptions.py) turns into a 400 and the pages into form errors.
"""

from __future__ import annotations

from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .srid import InvalidCoordinates, wgs84_lon_lat


def parse_bbox(raw: str) -> Polygon:
    """`minLon,minLat,maxLon,maxLat` → Polygon, with a 400 for anything else."""
    return Polygon.from_bbox(parse_bbox_extent(raw))


def parse_bbox_extent(raw: str) -> tuple[float, float, float, float]:
    """`minLon,minLat,maxLon,maxLat` → the four numbers (checked as parse_bbox does), without
    building a geometry."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValidationError(
            {"bbox": [_("bbox braucht vier Zahlen: minLon,minLat,maxLon,maxLat")]}
        )
    try:
        min_lon, min_lat = wgs84_lon_lat(parts[0], parts[1])
        max_lon, max_lat = wgs84_lon_lat(parts[2], parts[3])
    except InvalidCoordinates as exc:
        raise ValidationError({"bbox": [str(exc)]}) from exc
    if min_lon >= max_lon or min_lat >= max_lat:
        raise ValidationError({"bbox": [_("bbox: die Minima müssen kleiner als die Maxima sein.")]})
    return min_lon, min_lat, max_lon, max_lat
