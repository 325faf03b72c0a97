"""Writes of the events calendar: saving an event (its Gemeinde follows from the place) and
the citizens' favourites."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from boundaries.models import Authority, Level
from boundaries.services import authorities_at

from .models import Event, EventFavourite


def town_of(event: Event) -> int | None:
    """The Gemeinde whose active boundary covers the event's place; without a place, the
    organising authority when it is a Gemeinde itself."""
    if event.location is not None:
        for covering in authorities_at(event.location):
            if covering.level == Level.GEMEINDE:
                return covering.id
    authority: Authority = event.authority
    return authority.pk if authority.level == Level.GEMEINDE else None


@transaction.atomic
def event_save(event: Event) -> Event:
    """Validate and store an event (admin, staff page, demo data alike)."""
    event.full_clean(exclude=["town"])
    event.town_id = town_of(event)
    event.save()
    return event


def favourite_toggle(event: Event, *, user: User) -> bool:
    """Mark or unmark an event; True when it is marked afterwards."""
    deleted, _rows = EventFavourite.objects.filter(event=event, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            EventFavourite.objects.create(event=event, user=user)
    except IntegrityError:  # a double click: it is marked, which is what was asked
        pass
    return True
