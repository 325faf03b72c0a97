"""The tracker's piece of the subject access archive (privacy.export, registered in
privacy_parts.register): the person's reports with their photos and public history, the
comments she wrote, and her supports. For a guest: reports and supports without an account
that carry her e-mail address."""

from __future__ import annotations

import posixpath
from typing import Any

from django.db.models import Q, QuerySet

from privacy.export import Archive, Part, Subject

from .models import Report, ReportEvent, Support

DESCRIPTION = """\
meldungen.json — Liste Ihrer Meldungen, je ein Objekt:
  reference (Aktenzeichen), category (Kategorie), status, description (Beschreibung),
  address (Ortsangabe), location ([Längengrad, Breitengrad]), created_at, updated_at,
  confirmed_at, source (Weg: web, app, Open311 …), language, contact (name, email, phone: Ihre
  Kontaktdaten, soweit noch gespeichert), authority (zuständige Stelle);
  photos: Liste von {file (Pfad im Archiv, Ordner meldungen/), is_public (freigegeben),
    created_at};
  history: öffentlicher Verlauf (ohne Kommentare anderer Personen), Liste von {kind,
    from_status, to_status, note, created_at}.
meldungen/<Aktenzeichen>/… — die Fotos Ihrer Meldungen (ohne Metadaten, wie gespeichert).
kommentare.json — Kommentare, die Sie zu Meldungen geschrieben haben: Liste von
  {report (Aktenzeichen), note, created_at, review (Prüfstand)}.
unterstuetzungen.json — Meldungen, die Sie unterstützen („Ich bin auch betroffen“): Liste von
  {report (Aktenzeichen), category, created_at}.
"""


def reports_of(subject: Subject) -> QuerySet[Report]:
    if subject.user is not None:
        found = Report.objects.filter(reporter=subject.user)
    else:
        found = Report.objects.filter(reporter__isnull=True, reporter_email__iexact=subject.email)
    return found.select_related("category", "authority").order_by("created_at", "pk")


def _report(report: Report, archive: Archive) -> dict[str, Any]:
    photos = []
    for photo in report.photos.filter(kind="before").order_by("created_at", "pk"):
        name = posixpath.basename(photo.image.name)
        path = archive.add_file(f"meldungen/{report.reference}/{name}", photo.image.name)
        if path:
            photos.append(
                {"file": path, "is_public": photo.is_public, "created_at": photo.created_at}
            )
    history = [
        {
            "kind": event.kind,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "note": event.note,
            "created_at": event.created_at,
        }
        # Comments by people without an account (Open311 apps) may be anyone's: left out.
        for event in report.events.filter(is_public=True)
        .exclude(kind=ReportEvent.Kind.COMMENT, actor__isnull=True)
        .order_by("created_at", "pk")
    ]
    return {
        "reference": report.reference,
        "category": report.category.name,
        "status": report.status,
        "description": report.description,
        "address": report.address,
        "location": report.location,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "confirmed_at": report.confirmed_at,
        "source": report.source,
        "language": report.language,
        "contact": {
            "name": report.reporter_name,
            "email": report.reporter_email,
            "phone": report.reporter_phone,
        },
        "authority": report.authority.name if report.authority else "",
        "photos": photos,
        "history": history,
    }


def _supports(subject: Subject) -> QuerySet[Support]:
    if subject.user is not None:
        found = Support.objects.filter(user=subject.user)
    else:
        found = Support.objects.filter(user__isnull=True, email__iexact=subject.email)
    return found.select_related("report__category").order_by("created_at", "pk")


def write(subject: Subject, archive: Archive) -> None:
    archive.add_json("meldungen.json", [_report(r, archive) for r in reports_of(subject)])
    comments: list[dict[str, Any]] = []
    if subject.user is not None:
        events = ReportEvent.objects.filter(
            Q(actor=subject.user), kind=ReportEvent.Kind.COMMENT
        ).select_related("report")
        comments = [
            {
                "report": e.report.reference,
                "note": e.note,
                "created_at": e.created_at,
                "review": e.review,
            }
            for e in events.order_by("created_at", "pk")
        ]
    archive.add_json("kommentare.json", comments)
    archive.add_json(
        "unterstuetzungen.json",
        [
            {
                "report": s.report.reference,
                "category": s.report.category.name,
                "created_at": s.created_at,
            }
            for s in _supports(subject)
        ],
    )


PART = Part("reports", "Meldungen", DESCRIPTION, write, order=20, guests=True)
