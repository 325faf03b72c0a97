"""The events calendar's piece of the subject access archive (privacy.export, registered in
EventsConfig.ready): the events the citizen remembered."""

from __future__ import annotations

from privacy.export import Archive, Part, Subject

from .models import EventFavourite

DESCRIPTION = """\
veranstaltungen.json — gemerkte Veranstaltungen: Liste von {title, starts_at, authority,
  created_at (gemerkt am)}.
"""


def write(subject: Subject, archive: Archive) -> None:
    if subject.user is None:
        return
    favourites = (
        EventFavourite.objects.filter(user=subject.user)
        .select_related("event__authority")
        .order_by("created_at", "pk")
    )
    archive.add_json(
        "veranstaltungen.json",
        [
            {
                "title": f.event.title,
                "starts_at": f.event.starts_at,
                "authority": f.event.authority.name if f.event.authority else "",
                "created_at": f.created_at,
            }
            for f in favourites
        ],
    )


PART = Part("events", "Veranstaltungen", DESCRIPTION, write, order=60)
