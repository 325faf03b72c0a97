"""Events as iCalendar entries (core.ical)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from core.ical import Entry

from .models import Event


def _entry(event: Event, absolute: Callable[[str], str]) -> Entry:
    start: object = event.starts_at
    end: object = event.ends_at
    if event.all_day:
        first = timezone.localtime(event.starts_at).date()
        last = timezone.localtime(event.ends_at).date() if event.ends_at else first
        start, end = first, last + timedelta(days=1)
    description = event.description
    if event.accessibility:
        description = f"{description}\n\nBarrierefreiheit: {event.accessibility}".strip()
    return Entry(
        uid=f"event-{event.uid}@maengelmelder",
        summary=event.title,
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        description=description,
        location=event.address,
        url=absolute(event.get_absolute_url()),
        categories=(event.category.name,),
        geo=(event.location.y, event.location.x) if event.location is not None else None,
        modified=event.updated_at,
    )


def entries(events: list[Event], absolute: Callable[[str], str]) -> list[Entry]:
    return [_entry(event, absolute) for event in events]
