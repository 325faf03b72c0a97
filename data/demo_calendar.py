"""Demo data of the calendars (`manage.py load_demo_calendar --commit`, run by `make run`
after `load_demo`): event categories and a few events around this month, the waste types,
two collection districts (Heidestadt Nord by street list, Birkenhain by area) and their
pickup dates for three months. Deterministic for a given month and idempotent: events are
keyed by a UUID derived from their name and month, pickups by district, type and day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.gis.geos import MultiPolygon, Point
from django.db import transaction
from django.utils import timezone

from boundaries.models import Authority, Boundary
from boundaries.places import search_places
from events.models import Event, EventCategory
from events.services import event_save
from waste.models import CollectionDistrict, PickupDate, WasteType

from .demo_council import load_demo_council
from .demo_spec import BIRKENHAIN, KREIS, STADT

NAMESPACE = uuid.UUID("5d1f7c3e-1b7a-4c43-9a44-6a0d2f3c8e10")

EVENT_CATEGORIES = (
    ("veranstaltung", "Veranstaltung", 10),
    ("sprechstunde", "Sprechstunde", 20),
    ("markt", "Markt", 30),
)
WASTE_TYPES = (
    ("restmuell", "Restmüll", "#374151", 10),
    ("bio", "Bioabfall", "#7c4a1e", 20),
    ("papier", "Papier", "#1d4ed8", 30),
    ("gelbe-tonne", "Gelbe Tonne", "#ca8a04", 40),
)
HEIDESTADT_NORD = "Am Markt\nKirchstraße\nBahnhofstraße\nHeideweg\nGartenstraße\nAm Sportplatz"


@dataclass(frozen=True)
class DemoEvent:
    key: str
    authority: str
    category: str
    title: str
    day: int  # day of the month
    start: time | None  # None: all day
    hours: int
    street: str  # placed on this street (place search), "" = no place
    address: str
    description: str
    accessibility: str = ""


EVENTS = (
    DemoEvent("wochenmarkt", STADT, "markt", "Wochenmarkt auf dem Marktplatz", 6, time(8), 5,
              "Am Markt, Heidestadt", "Marktplatz, Am Markt, Heidestadt",
              "Obst, Gemüse, Käse und Blumen aus der Region.",
              "Ebener Platz, stufenlos erreichbar."),
    DemoEvent("sprechstunde", STADT, "sprechstunde", "Sprechstunde des Bürgermeisters", 12,
              time(16), 2, "Kirchstraße, Heidestadt", "Rathaus, Kirchstraße 1, Heidestadt",
              "Ohne Anmeldung; bitte bringen Sie Unterlagen zu Ihrem Anliegen mit.",
              "Aufzug vorhanden, Behinderten-WC im Erdgeschoss."),
    DemoEvent("dorffest", BIRKENHAIN, "veranstaltung", "Dorffest Birkenhain", 20, None, 24,
              "Dorfstraße, Birkenhain", "Festwiese an der Dorfstraße, Birkenhain",
              "Musik, Kinderprogramm und Kaffeetafel der Landfrauen."),
    DemoEvent("kreistag", KREIS, "veranstaltung", "Bürgerinformation Radwegekonzept", 24,
              time(18, 30), 2, "", "Kreishaus, Heidestadt",
              "Der Landkreis stellt das neue Radwegekonzept vor und beantwortet Fragen.",
              "Gebärdensprachdolmetschung auf Anfrage bis eine Woche vorher."),
)  # fmt: skip


def _point(street: str) -> Point | None:
    if not street:
        return None
    found = [p for p in search_places(street, limit=3) if p.kind == "street"]
    return Point(found[0].lon, found[0].lat, srid=4326) if found else None


def _sync_events(first: date) -> int:
    categories = {}
    for slug, name, order in EVENT_CATEGORIES:
        categories[slug], _created = EventCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
    created = 0
    for spec in EVENTS:
        uid = uuid.uuid5(NAMESPACE, f"{spec.key}:{first:%Y-%m}")
        if Event.objects.filter(uid=uid).exists():
            continue
        day = first.replace(day=spec.day)
        start = timezone.make_aware(datetime.combine(day, spec.start or time.min))
        event = Event(
            uid=uid,
            authority=Authority.objects.get(slug=spec.authority),
            category=categories[spec.category],
            title=spec.title,
            description=spec.description,
            starts_at=start,
            ends_at=start + timedelta(hours=spec.hours) if spec.start else None,
            all_day=spec.start is None,
            location=_point(spec.street),
            address=spec.address,
            accessibility=spec.accessibility,
        )
        event_save(event)
        created += 1
    return created


def _pickup_days(first: date, weekday: int, every: int, offset: int) -> list[date]:
    """Every `every` weeks on `weekday` (Monday 0), over three months from `first`."""
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * offset)
    days = []
    while day < first + timedelta(days=92):
        days.append(day)
        day += timedelta(weeks=every)
    return days


def _sync_waste(first: date) -> int:
    types = {}
    for slug, name, colour, order in WASTE_TYPES:
        types[slug], _created = WasteType.objects.update_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "order": order}
        )
    nord, _c = CollectionDistrict.objects.update_or_create(
        town=Authority.objects.get(slug=STADT),
        name="Nord",
        defaults={"streets": HEIDESTADT_NORD},
    )
    birkenhain_town = Authority.objects.get(slug=BIRKENHAIN)
    area = Boundary.objects.filter(authority=birkenhain_town, boundary_set__is_active=True).first()
    birkenhain, _c = CollectionDistrict.objects.update_or_create(
        town=birkenhain_town,
        name="Gesamtes Gemeindegebiet",
        defaults={"area": MultiPolygon(*area.geom) if area is not None else None},
    )
    # (waste type, weekday, every n weeks, first week)
    plan = {
        nord: (("restmuell", 1, 2, 0), ("bio", 1, 2, 1), ("papier", 3, 4, 0),
               ("gelbe-tonne", 4, 2, 1)),
        birkenhain: (("restmuell", 2, 2, 1), ("bio", 2, 2, 0), ("papier", 0, 4, 2),
                     ("gelbe-tonne", 3, 2, 0)),
    }  # fmt: skip
    rows = [
        PickupDate(district=district, waste_type=types[slug], date=day)
        for district, rules in plan.items()
        for slug, weekday, every, offset in rules
        for day in _pickup_days(first, weekday, every, offset)
    ]
    before = PickupDate.objects.count()
    PickupDate.objects.bulk_create(rows, ignore_conflicts=True)
    return PickupDate.objects.count() - before


def load_demo_calendar(*, commit: bool, today: date | None = None) -> list[str]:
    """Needs the demo region (load_demo). Returns what was (or would be) created."""
    first = (today or timezone.localdate()).replace(day=1)
    with transaction.atomic():
        events = _sync_events(first)
        pickups = _sync_waste(first)
        lines = [f"events: {events} new", f"pickup dates: {pickups} new"]
        lines += load_demo_council(commit=commit, today=today)
        if not commit:
            transaction.set_rollback(True)
            lines.append("dry run: nothing stored (--commit stores)")
    return lines
