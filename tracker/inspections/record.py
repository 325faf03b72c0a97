"""The liability record (Nachweis der Verkehrssicherung) of one road segment over a period:
everything the authority knew and did — citizens' reports, inspections, findings, measures,
fixes — with times, people and each entry's link in the hash chain. One list of entries feeds
the page, the CSV and the signed PDF (record_pdf.py)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.models import RoadSegment
from tracker import permissions
from tracker.models import Report, ReportEvent

from . import ledger
from .models import Finding, InspectionEvent, LedgerEntry

# Reports this close to a segment belong to its record even when not snapped to it.
NEAR_M = 30.0
RECORD_ROLES = ("dispatcher", "admin", "planner")
CSV_HEADER = ("Zeit", "Art", "Vorgang", "Eintrag", "Person", "Kettenglied", "Hash")


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    subject: str
    text: str
    person: str
    link: int | None
    link_hash: str

    def row(self) -> list[str]:
        local = timezone.localtime(self.at)
        return [
            local.strftime("%d.%m.%Y %H:%M:%S"),
            self.kind,
            self.subject,
            self.text,
            self.person,
            str(self.link or ""),
            self.link_hash,
        ]


@dataclass
class Record:
    segment: RoadSegment
    start: date
    end: date
    entries: list[Entry] = field(default_factory=list)
    chain: ledger.Verification | None = None
    head: str = ledger.GENESIS
    created_at: datetime = field(default_factory=timezone.now)

    def csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(entry.row() for entry in self.entries)
        return buffer.getvalue().encode("utf-8")

    @property
    def sha256(self) -> str:
        """The fingerprint of the content: SHA-256 of the CSV rendering of the entries."""
        return hashlib.sha256(self.csv_bytes()).hexdigest()

    @property
    def hmac(self) -> str:
        """HMAC-SHA256 with the server's SECRET_KEY over fingerprint and chain head: only
        this installation can produce it, and it can check a printed record against it."""
        message = f"{self.sha256}:{self.head}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def may_read(user: Any, segment: RoadSegment) -> bool:
    if permissions.is_superuser(user):
        return True
    return segment.owner_id in permissions.authority_ids(user, RECORD_ROLES)


def _person(event: Any, entry: LedgerEntry | None) -> str:
    if entry is not None and entry.actor_label:
        return entry.actor_label
    return ledger.actor_label(event.actor) or _("System")


def _segment_reports(segment: RoadSegment) -> Q:
    """Reports snapped to the segment, found on it by a round, or within NEAR_M of it."""
    found = Finding.objects.filter(segment=segment).values("report_id")
    near = RawSQL(
        "SELECT r.id FROM tracker_report r, geo_roadsegment s WHERE s.id = %s"
        " AND ST_DWithin(r.location::geography, s.geom::geography, %s)",
        (segment.pk, NEAR_M),
    )
    return Q(road=segment) | Q(pk__in=found) | Q(pk__in=near)


def _report_entries(
    segment: RoadSegment, user: Any, since: datetime, until: datetime
) -> list[Entry]:
    reports = Report.objects.filter(_segment_reports(segment)).values("pk")
    events = (
        ReportEvent.objects.filter(report__in=reports, created_at__gte=since, created_at__lt=until)
        .filter(permissions.visible_events_q(user))
        .select_related("report", "report__category", "actor")
        .order_by("created_at", "id")
    )
    links = ledger.entries_for(LedgerEntry.Source.REPORT_EVENT, [e.pk for e in events])
    entries = []
    for event in events:
        link = links.get(event.pk)
        report = event.report
        origin = (
            _("Streckenkontrolle") if report.source == Report.Source.INSPECTION else _("Meldung")
        )
        text = event.note or event.get_to_status_display() or ""
        if event.kind == ReportEvent.Kind.CREATED:
            text = f"{report.category.name}: {report.description} — {text}"
        entries.append(
            Entry(
                at=event.created_at,
                kind=str(event.get_kind_display()),
                subject=f"{origin} {report.reference}",
                text=text,
                person=_person(event, link),
                link=link.seq if link else None,
                link_hash=(link.entry_hash or "") if link else "",
            )
        )
    return entries


def _inspection_entries(segment: RoadSegment, since: datetime, until: datetime) -> list[Entry]:
    events = (
        InspectionEvent.objects.filter(segment=segment, created_at__gte=since, created_at__lt=until)
        .select_related("round", "round__plan", "actor")
        .order_by("created_at", "id")
    )
    links = ledger.entries_for(LedgerEntry.Source.INSPECTION_EVENT, [e.pk for e in events])
    entries = []
    for event in events:
        link = links.get(event.pk)
        entries.append(
            Entry(
                at=event.created_at,
                kind=str(event.get_kind_display()),
                subject=_("Kontrollfahrt %(id)d (%(route)s)")
                % {"id": event.round_id, "route": event.round.plan.name},
                text=event.note,
                person=_person(event, link),
                link=link.seq if link else None,
                link_hash=(link.entry_hash or "") if link else "",
            )
        )
    return entries


def build(segment: RoadSegment, start: date, end: date, *, user: Any) -> Record:
    """The record of `segment` from `start` to `end` (both days included)."""
    if not may_read(user, segment):
        raise PermissionDenied(_("Dieser Straßenabschnitt gehört nicht zu Ihrer Stelle."))
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    entries = _report_entries(segment, user, since, until) + _inspection_entries(
        segment, since, until
    )
    entries.sort(key=lambda e: (e.at, e.link or 0))
    return Record(segment, start, end, entries, ledger.verify(), ledger.head())
