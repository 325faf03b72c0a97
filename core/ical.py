"""iCalendar (RFC 5545) output shared by the calendar apps (events, waste): one calendar
with a compact VTIMEZONE for Europe/Berlin (EU summer-time rules as RRULEs), events with a
stable UID and a DTSTAMP, served as text/calendar. No domain knowledge lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.http import HttpResponse

TZID = "Europe/Berlin"
BERLIN = ZoneInfo(TZID)
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Entry:
    """One VEVENT. `start`/`end` are aware datetimes, or dates for all-day entries (`end`
    exclusive, as RFC 5545 wants it; None = one day)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    geo: tuple[float, float] | None = None  # (lat, lon)
    modified: datetime | None = None


def _timezone() -> icalendar.Timezone:
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    for kind, start, month, offset_from, offset_to, name in (
        # DTSTART of a VTIMEZONE rule is local wall-clock time, so it is naive on purpose.
        (icalendar.TimezoneDaylight, datetime(1981, 3, 29, 2), 3, "+0100", "+0200", "CEST"),  # noqa: DTZ001
        (icalendar.TimezoneStandard, datetime(1996, 10, 27, 3), 10, "+0200", "+0100", "CET"),  # noqa: DTZ001
    ):
        part = kind()
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        part.add("tzoffsetfrom", timedelta(hours=int(offset_from[:3])))
        part.add("tzoffsetto", timedelta(hours=int(offset_to[:3])))
        part.add("tzname", name)
        tz.add_component(part)
    return tz


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return value.astimezone(BERLIN)
    return value


def _event(entry: Entry, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.summary)
    event.add("dtstart", _local(entry.start))
    if entry.end is not None:
        event.add("dtend", _local(entry.end))
    elif not isinstance(entry.start, datetime):
        event.add("dtend", entry.start + timedelta(days=1))
    for name, value in (
        ("description", entry.description),
        ("location", entry.location),
        ("url", entry.url),
    ):
        if value:
            event.add(name, value)
    if entry.categories:
        event.add("categories", list(entry.categories))
    if entry.geo is not None:
        event.add("geo", entry.geo)
    if entry.modified is not None:
        event.add("last-modified", entry.modified.astimezone(UTC))
    return event


def calendar(name: str, entries: list[Entry], *, prodid: str = "-//Maengelmelder//DE") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add_component(_timezone())
    stamp = datetime.now(UTC).replace(microsecond=0)
    for entry in entries:
        cal.add_component(_event(entry, stamp))
    return cal.to_ical()


def response(name: str, entries: list[Entry], filename: str) -> HttpResponse:
    """The calendar as a subscribable download (calendar apps poll the same URL)."""
    result = HttpResponse(calendar(name, entries), content_type=CONTENT_TYPE)
    result["Content-Disposition"] = f'inline; filename="{filename}"'
    result["Cache-Control"] = "public, max-age=900"
    return result
