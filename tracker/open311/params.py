"""Request arguments of the GeoReport v2 endpoints, parsed or refused with the spec's error
document (Open311Error, 400/404) and a German message."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.gis.geos import Point, Polygon
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from boundaries.models import Authority
from core import params as core_params
from geo.srid import InvalidCoordinates, wgs84_point
from tracker.models import Category

from . import selectors
from .attributes import parse_w3_datetime
from .render import Open311Error

MAX_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
# Longer arguments are cut (the longest legitimate ones are descriptions of POSTed requests).
MAX_PARAM = 100_000


def param(request: HttpRequest, name: str) -> str:
    """A request argument; empty counts as absent (the spec's "Optional Arguments"). NUL
    characters are dropped: PostgreSQL text cannot hold them."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    return core_params.clean_text(value, max_length=MAX_PARAM)


def extensions(request: HttpRequest) -> bool:
    return param(request, "extensions").lower() in ("true", "1")


def jurisdiction(request: HttpRequest) -> Authority | None:
    raw = param(request, "jurisdiction_id")
    if not raw:
        return None
    jurisdiction = selectors.jurisdiction_by_id(raw)
    if jurisdiction is None:
        raise Open311Error(
            404, _("jurisdiction_id „%(id)s“ wurde nicht gefunden.") % {"id": raw[:100]}
        )
    return jurisdiction


def service(code: str, jurisdiction: Authority | None) -> Category:
    category = selectors.services(jurisdiction).filter(slug=code).first()
    if category is None:
        raise Open311Error(
            404, _("service_code „%(code)s“ wurde nicht gefunden.") % {"code": code[:100]}
        )
    return category


def date(request: HttpRequest, name: str) -> datetime | None:
    raw = param(request, name)
    if not raw:
        return None
    moment = parse_w3_datetime(raw)
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s: Datum im W3C-Format erwartet, z. B. 2026-01-01T00:00:00Z.")
            % {"name": name},
        )
    return moment


def positive_int(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = param(request, name)
    if not raw:
        return default
    # isdigit() also accepts "¹" and other digits int() refuses: ASCII digits only.
    if not core_params.is_int(raw, max_digits=12) or int(raw) < 1:
        raise Open311Error(400, _("%(name)s: positive ganze Zahl erwartet.") % {"name": name})
    return min(int(raw), maximum)


def bbox(raw: str) -> Polygon:
    parts = raw.split(",")
    error = Open311Error(400, _("bbox: vier Zahlen minLon,minLat,maxLon,maxLat erwartet."))
    if len(parts) != 4:
        raise error
    try:
        low = wgs84_point(parts[0], parts[1])
        high = wgs84_point(parts[2], parts[3])
    except InvalidCoordinates as exc:
        raise error from exc
    if low.x >= high.x or low.y >= high.y:
        raise error
    return Polygon.from_bbox((low.x, low.y, high.x, high.y))


def window(
    start: datetime | None, end: datetime | None, *, open_ended: bool
) -> tuple[datetime | None, datetime | None]:
    """The requested_datetime window: at most 90 days, the latest 90 days by default."""
    if start is None and end is None:
        return (None, None) if open_ended else (timezone.now() - MAX_WINDOW, None)
    if start is None:
        assert end is not None  # noqa: S101 - narrowed for the type checker
        return _shifted(end, -MAX_WINDOW), end
    if end is None:
        return start, _shifted(start, MAX_WINDOW)
    if end < start:
        raise Open311Error(400, _("end_date liegt vor start_date."))
    if end - start > MAX_WINDOW:
        raise Open311Error(
            400, _("Zwischen start_date und end_date dürfen höchstens 90 Tage liegen.")
        )
    return start, end


def _shifted(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta, clamped to the calendar (year 1 and 9999 are valid dates in W3C
    format, but 90 days past them are not)."""
    try:
        return moment + delta
    except OverflowError:
        if delta < timedelta(0):
            return datetime.min.replace(tzinfo=moment.tzinfo)
        return datetime.max.replace(tzinfo=moment.tzinfo)


def comma_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()][:MAX_REQUESTS]


def ids(raw: str) -> list[int]:
    """Comma-separated request ids; ones that cannot exist (not a number) match nothing."""
    return [int(i) for i in comma_list(raw) if is_id(i)]


def is_id(raw: str) -> bool:
    """Whether `raw` can be a request id at all (ASCII digits that fit a bigint)."""
    return core_params.is_int(raw)


def location(request: HttpRequest) -> Point:
    lat, long = param(request, "lat"), param(request, "long")
    if lat or long:
        if not (lat and long):
            raise Open311Error(400, _("lat und long müssen beide angegeben werden."))
        try:
            return wgs84_point(long, lat)
        except InvalidCoordinates as exc:
            raise Open311Error(400, f"lat/long: {exc}") from exc
    if param(request, "address_string") or param(request, "address_id"):
        raise Open311Error(
            400,
            _(
                "Eine Adresse allein können wir nicht verorten: bitte lat und long (WGS84) "
                "angeben; address_string wird zusätzlich gespeichert."
            ),
        )
    raise Open311Error(400, _("Ortsangabe fehlt: lat und long (WGS84) angeben."))


def messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {message}"
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [str(m) for m in exc.messages]


def media_url_error(raw: str) -> str | None:
    """The message for a `media_url` that is no http(s) URL, else None (requests and updates)."""
    try:
        URLValidator(schemes=["http", "https"])(raw)
    except ValidationError:
        return _("media_url: keine gültige http(s)-URL.")
    return None
