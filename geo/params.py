"""Query parameters with geometry: parsed into GEOS objects, refused with a German message.

Errors are Django `ValidationError`s keyed by the parameter, which the API's exception
handler (config/exceptions.py) turns into a 400 and the pages into form errors.
"""

from __future__ import annotations

from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .srid import InvalidCoordinates, wgs84_point


def parse_bbox(raw: str) -> Polygon:
    """`minLon,minLat,maxLon,maxLat` → Polygon, with a 400 for anything else."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValidationError(
            {"bbox": [_("bbox braucht vier Zahlen: minLon,minLat,maxLon,maxLat")]}
        )
    try:
        min_corner = wgs84_point(parts[0], parts[1])
        max_corner = wgs84_point(parts[2], parts[3])
    except InvalidCoordinates as exc:
        raise ValidationError({"bbox": [str(exc)]}) from exc
    if min_corner.x >= max_corner.x or min_corner.y >= max_corner.y:
        raise ValidationError({"bbox": [_("bbox: die Minima müssen kleiner als die Maxima sein.")]})
    return Polygon.from_bbox((min_corner.x, min_corner.y, max_corner.x, max_corner.y))
