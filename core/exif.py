"""GPS positions in photos' EXIF blocks, read from an opened image without decoding it.

Used by the photo pipeline (core.images) to offer the citizen the place a photo was taken.
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import ExifTags, Image

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GpsLocation:
    """A WGS84 position from a photo's EXIF data (for `geo.srid.wgs84_point(lon, lat)`)."""

    lat: float
    lon: float


def _ascii(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 ").upper()


def _coordinate(
    value: object, ref: object, positive: str, negative: str, limit: float
) -> float | None:
    """Degrees, minutes, seconds (as EXIF rationals) and a hemisphere letter to degrees."""
    hemisphere = _ascii(ref)
    if hemisphere == positive:
        sign = 1.0
    elif hemisphere == negative:
        sign = -1.0
    else:
        return None  # without the hemisphere the sign is a guess
    if isinstance(value, numbers.Real):  # some writers store degrees only, as one value
        value = (value,)
    if not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    # A zero denominator comes back from Pillow as NaN.
    if not all(math.isfinite(part) and part >= 0 for part in parts):
        return None
    degrees, minutes, seconds = (*parts, 0.0, 0.0)[:3]
    if minutes >= 60 or seconds >= 60:
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if decimal > limit:
        return None
    return sign * decimal


def _gps_from_ifd(gps: Mapping[int, object]) -> GpsLocation | None:
    # "V" (void) means the receiver had no fix when the photo was taken.
    if _ascii(gps.get(ExifTags.GPS.GPSStatus)) == "V":
        return None
    lat = _coordinate(
        gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S", 90
    )
    lon = _coordinate(
        gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W", 180
    )
    if lat is None or lon is None:
        return None
    if lat == 0 and lon == 0:
        return None  # cameras without a fix write zeros; nobody reports a pothole off Ghana
    # Seven decimals are about a centimetre; more is float noise.
    return GpsLocation(lat=round(lat, 7), lon=round(lon, 7))


def gps_of(image: Image.Image) -> GpsLocation | None:
    """The GPS position in an opened image's EXIF block, or None; never raises.

    Reads the raw EXIF bytes rather than `image.getexif()`, which for PNG decodes the whole
    image to look for a late eXIf chunk."""
    raw = image.info.get("exif")
    if not isinstance(raw, bytes) or not raw:
        return None
    try:
        exif = Image.Exif()
        exif.load(raw)
        return _gps_from_ifd(exif.get_ifd(ExifTags.IFD.GPSInfo))
    except Exception:
        # Malformed EXIF only costs the citizen the location offer, never the photo.
        logger.info("unreadable EXIF GPS data ignored", exc_info=True)
        return None
