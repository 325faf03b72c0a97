"""Citizen pages of the events calendar under /veranstaltungen/: month grid, list and map
(each filtered by Gemeinde and category, all without JavaScript), an event's page, the
favourite button, and the iCalendar feeds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from boundaries.models import Authority
from core import ical
from core.urls import absolute_url

from . import selectors, services
from .calendar_export import entries
from .models import Event, EventCategory

LIST_DAYS = 90


def _month_param(value: str) -> date:
    """ "2026-07" → 1 July 2026; anything else → this month."""
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return date(year, month, 1) if 1900 < year < 2200 else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "town": request.GET.get("gemeinde", "")[:100],
        "category": request.GET.get("art", "")[:80],
    }


def _filter_context(request: HttpRequest, filters: dict[str, str]) -> dict[str, Any]:
    query = {k: v for k, v in (("gemeinde", filters["town"]), ("art", filters["category"])) if v}
    return {
        "towns": selectors.towns(),
        "categories": selectors.categories(),
        "selected_town": filters["town"],
        "selected_category": filters["category"],
        "filter_query": urlencode(query),
    }


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@require_GET
def month(request: HttpRequest) -> HttpResponse:
    first = _month_param(request.GET.get("monat", ""))
    following = _shift(first, 1)
    filters = _filters(request)
    events = list(
        selectors.public_events(
            since=first - timedelta(days=7), until=following + timedelta(days=7), **filters
        )
    )
    context = {
        "first": first,
        "weeks": selectors.month_grid(first.year, first.month, events),
        "previous_month": _shift(first, -1).strftime("%Y-%m"),
        "next_month": following.strftime("%Y-%m"),
        "this_month": timezone.localdate().strftime("%Y-%m"),
        "view": "month",
        **_filter_context(request, filters),
    }
    return render(request, "events/month.html", context)


def _upcoming(request: HttpRequest) -> tuple[list[Event], dict[str, Any]]:
    filters = _filters(request)
    today = timezone.localdate()
    events = list(
        selectors.public_events(since=today, until=today + timedelta(days=LIST_DAYS), **filters)
    )
    return events, _filter_context(request, filters)


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events, context = _upcoming(request)
    return render(request, "events/list.html", {"events": events, "view": "list", **context})


@require_GET
def event_map(request: HttpRequest) -> HttpResponse:
    events, context = _upcoming(request)
    pins = [
        {
            "lat": e.location.y,
            "lon": e.location.x,
            "title": e.title,
            "when": timezone.localtime(e.starts_at).strftime("%d.%m.%Y"),
            "url": e.get_absolute_url(),
        }
        for e in events
        if e.location is not None
    ]
    return render(
        request,
        "events/map.html",
        {"events": events, "view": "map", "map_extra": {"events": pins}, **context},
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    user_id = request.user.pk if request.user.is_authenticated else None
    context: dict[str, Any] = {
        "event": event,
        "is_favourite": event.pk in selectors.favourite_ids(user_id, [event]),
        "meeting": selectors.council_meeting_of(event),
        "map_extra": {
            "events": [{"lat": event.location.y, "lon": event.location.x, "title": event.title}]
        }
        if event.location is not None
        else {},
    }
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def favourite(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    services.favourite_toggle(event, user=request.user)  # type: ignore[arg-type]
    return redirect("events:detail", pk=event.pk)


@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    """Where to subscribe: one iCal address per authority and per category."""
    authorities = Authority.objects.filter(
        pk__in=Event.objects.filter(is_published=True).values("authority_id")
    ).order_by("name")
    return render(
        request,
        "events/feeds.html",
        {"authorities": authorities, "categories": selectors.categories()},
    )


def _ical(name: str, events: list[Event], filename: str) -> HttpResponse:
    return ical.response(name, entries(events, absolute_url), filename)


@require_GET
def ical_all(request: HttpRequest) -> HttpResponse:
    since = timezone.localdate() - timedelta(days=90)
    return _ical(
        _("Veranstaltungen"), list(selectors.public_events(since=since)), "veranstaltungen.ics"
    )


@require_GET
def ical_authority(request: HttpRequest, slug: str) -> HttpResponse:
    authority = get_object_or_404(Authority, slug=slug, is_active=True)
    since = timezone.localdate() - timedelta(days=90)
    events = list(selectors.public_events(since=since, authority=slug))
    return _ical(f"{_('Veranstaltungen')}: {authority.name}", events, f"{slug}.ics")


@require_GET
def ical_category(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(EventCategory, slug=slug)
    since = timezone.localdate() - timedelta(days=90)
    events = list(selectors.public_events(since=since, category=slug))
    return _ical(f"{_('Veranstaltungen')}: {category.name}", events, f"{slug}.ics")
