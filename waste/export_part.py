"""The Abfallkalender's piece of the subject access archive (privacy.export, registered in
WasteConfig.ready): reminder subscriptions, of the account or (guests) of the address."""

from __future__ import annotations

from django.db.models import Q

from privacy.export import Archive, Part, Subject

from .models import WasteSubscription

DESCRIPTION = """\
abfall_erinnerungen.json — Erinnerungen an Abfuhrtermine: Liste von {district (Bezirk),
  town (Ort), email, language, confirmed_at (bestätigt am, leer = nicht bestätigt),
  created_at}.
"""


def write(subject: Subject, archive: Archive) -> None:
    if subject.user is not None:
        found = WasteSubscription.objects.filter(
            Q(user=subject.user) | Q(user__isnull=True, email__iexact=subject.email)
        )
    else:
        found = WasteSubscription.objects.filter(user__isnull=True, email__iexact=subject.email)
    archive.add_json(
        "abfall_erinnerungen.json",
        [
            {
                "district": s.district.name,
                "town": str(s.district.town) if s.district.town_id else "",
                "email": s.email,
                "language": s.language,
                "confirmed_at": s.confirmed_at,
                "created_at": s.created_at,
            }
            for s in found.select_related("district__town").order_by("created_at", "pk")
        ],
    )


PART = Part("waste", "Abfallkalender", DESCRIPTION, write, order=70, guests=True)
