"""Spatial reference systems. Storage is WGS84; metric work uses ETRS89 / UTM 32N or geography."""

from __future__ import annotations

import math

from django.contrib.gis.geos import Point

WGS84 = 4326  # storage and API (GeoJSON order: lon, lat)
ETRS89_UTM32N = 25832  # metres, for the German Länder in zone 32 (and close enough beyond)


class InvalidCoordinates(ValueError):
    """Coordinates that are not numbers, not finite, or out of range."""


def wgs84_point(lon: object, lat: object) -> Point:
    """Parse and validate a lon/lat pair into a WGS84 Point, with messages a citizen can read."""
    return Point(*wgs84_lon_lat(lon, lat), srid=WGS84)


def wgs84_lon_lat(lon: object, lat: object) -> tuple[float, float]:
    """wgs84_point's checks without building a geometry (for hot paths such as map bboxes)."""
    try:
        lon_f = float(lon)  # type: ignore[arg-type]
        lat_f = float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InvalidCoordinates("Längen- und Breitengrad müssen Zahlen sein.") from exc
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        raise InvalidCoordinates("Längen- und Breitengrad müssen endliche Zahlen sein.")
    if not -90.0 <= lat_f <= 90.0:
        raise InvalidCoordinates("Der Breitengrad (lat) muss zwischen -90 und 90 liegen.")
    if not -180.0 <= lon_f <= 180.0:
        raise InvalidCoordinates("Der Längengrad (lon) muss zwischen -180 und 180 liegen.")
    return lon_f, lat_f
