"""Reads of the events calendar: published events in a period, filtered by Gemeinde and
category, the month grid, and a citizen's favourites."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from boundaries.models import Authority, Level

from .models import CouncilAgendaItem, CouncilFile, CouncilMeeting, Event, EventCategory


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def public_events(
    *,
    since: date | None = None,
    until: date | None = None,
    town: str = "",
    category: str = "",
    authority: str = "",
) -> QuerySet[Event]:
    """Published events that touch [since, until) (dates, local time); filters by slug."""
    events = Event.objects.filter(is_published=True).select_related("category", "authority", "town")
    if since is not None:
        start = _start_of(since)
        events = events.filter(
            Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start)
        )
    if until is not None:
        events = events.filter(starts_at__lt=_start_of(until))
    if town:
        events = events.filter(town__slug=town)
    if category:
        events = events.filter(category__slug=category)
    if authority:
        events = events.filter(authority__slug=authority)
    return events.order_by("starts_at", "pk")


def towns() -> QuerySet[Authority]:
    """Gemeinden that have published events (the town filter's choices)."""
    return (
        Authority.objects.filter(level=Level.GEMEINDE, is_active=True)
        .filter(pk__in=Event.objects.filter(is_published=True).values("town_id"))
        .order_by("name")
    )


def categories() -> QuerySet[EventCategory]:
    return EventCategory.objects.all()


def favourites_of(user_id: int) -> QuerySet[Event]:
    """A citizen's marked events that have not ended yet."""
    return public_events(since=timezone.localdate()).filter(favourites__user_id=user_id)


def favourite_ids(user_id: int | None, events: list[Event]) -> set[int]:
    if user_id is None or not events:
        return set()
    return set(
        Event.objects.filter(
            pk__in=[e.pk for e in events], favourites__user_id=user_id
        ).values_list("pk", flat=True)
    )


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


def local_days(event: Event) -> list[date]:
    """The local dates an event covers (at most 62, long exhibitions are cut)."""
    first = timezone.localtime(event.starts_at).date()
    last = timezone.localtime(event.ends_at).date() if event.ends_at else first
    if event.ends_at and not event.all_day and timezone.localtime(event.ends_at).time() == time.min:
        last -= timedelta(days=1)
    count = min(max((last - first).days, 0), 61) + 1
    return [first + timedelta(days=n) for n in range(count)]


def month_grid(year: int, month: int, events: list[Event]) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with its events."""
    today = timezone.localdate()
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    days = {d: Day(d, d.month == month, d == today) for week in weeks for d in week}
    for event in events:
        for covered in local_days(event):
            if covered in days:
                days[covered].events.append(event)
    return [[days[d] for d in week] for week in weeks]


def council_meeting_of(event: Event) -> CouncilMeeting | None:
    """The council session behind a calendar entry, with its agenda and documents."""
    return (
        CouncilMeeting.objects.filter(event=event)
        .prefetch_related(
            "organizations",
            Prefetch("files", queryset=CouncilFile.objects.filter(agenda_item__isnull=True)),
            Prefetch(
                "agenda",
                queryset=CouncilAgendaItem.objects.select_related("paper").prefetch_related(
                    "files", "paper__files"
                ),
            ),
        )
        .first()
    )


def upcoming_meetings(*, since: date, until: date, authority: str = "") -> QuerySet[CouncilMeeting]:
    meetings = CouncilMeeting.objects.filter(
        starts_at__gte=_start_of(since), starts_at__lt=_start_of(until)
    ).select_related("authority", "event")
    if authority:
        meetings = meetings.filter(authority__slug=authority)
    return meetings.prefetch_related(
        "organizations", "files", "agenda__files", "agenda__paper__files"
    ).order_by("starts_at", "pk")
