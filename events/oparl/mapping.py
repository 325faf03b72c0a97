"""OParl objects → our rows, one function per object type. Each stores by OParl id (a second
import updates) and skips an object whose `modified` did not change. Raises `BadObject` for
an object it cannot use; the importer logs it with its URL and goes on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.gis.geos import Point
from django.utils.dateparse import parse_date, parse_datetime

from boundaries.models import Authority

from ..models import (
    CouncilAgendaItem,
    CouncilFile,
    CouncilMeeting,
    CouncilOrganization,
    CouncilPaper,
    Event,
    EventCategory,
    FileRole,
    OParlSource,
)
from ..services import event_save
from .client import Fetcher, PageError
from .summary import Summary

SESSION_CATEGORY = {"slug": "sitzung", "name": "Sitzung"}
MEETING_FILES = (
    ("invitation", FileRole.INVITATION),
    ("resultsProtocol", FileRole.RESULTS_PROTOCOL),
    ("verbatimProtocol", FileRole.VERBATIM_PROTOCOL),
)


class BadObject(Exception):
    pass


def oparl_id(data: Any) -> str:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        raise BadObject("Objekt ohne id")
    return str(data["id"])


def text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    return str(value).strip()[:limit] if value not in (None, "") else ""


def when(data: dict[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise BadObject(f"{key}: kein Zeitpunkt mit Zeitzone ({str(value)[:40]})")
    return parsed


def day(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    try:
        return parse_date(str(value)[:10]) if value else None
    except ValueError:
        return None


def url(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else ""


class Mapper:
    def __init__(
        self, source: OParlSource, authority: Authority, fetcher: Fetcher, summary: Summary
    ) -> None:
        self.source = source
        self.authority = authority
        self.fetcher = fetcher
        self.summary = summary

    def resolve(self, value: Any) -> dict[str, Any] | None:
        """An embedded object, or one given by its URL (fetched; a failure is logged)."""
        if isinstance(value, dict):
            return value
        if isinstance(value, str) and value:
            try:
                fetched = self.fetcher.get(value)
            except PageError as exc:
                self.summary.error(exc.url, exc.reason)
                return None
            self.summary.pages += 1
            return fetched if isinstance(fetched, dict) else None
        return None

    def _unchanged(self, model: Any, oid: str, modified: datetime | None) -> bool:
        return (
            modified is not None and model.objects.filter(oparl_id=oid, modified=modified).exists()
        )

    def organization(self, data: dict[str, Any]) -> None:
        oid = oparl_id(data)
        if data.get("deleted"):
            deleted, _rows = CouncilOrganization.objects.filter(oparl_id=oid).delete()
            self.summary.add("organization", "deleted", bool(deleted))
            return
        modified = when(data, "modified")
        if self._unchanged(CouncilOrganization, oid, modified):
            self.summary.add("organization", "unchanged")
            return
        name = text(data, "name", 300) or text(data, "shortName", 300)
        if not name:
            raise BadObject("Gremium ohne Namen")
        _org, created = CouncilOrganization.objects.update_or_create(
            oparl_id=oid,
            defaults={
                "source": self.source,
                "authority": self.authority,
                "name": name,
                "short_name": text(data, "shortName", 100),
                "classification": text(data, "classification", 100)
                or text(data, "organizationType", 100),
                "modified": modified,
            },
        )
        self.summary.add("organization", "created" if created else "updated")

    def meeting(self, data: dict[str, Any]) -> None:
        oid = oparl_id(data)
        if data.get("deleted"):
            self._delete_meeting(oid)
            return
        modified = when(data, "modified")
        if self._unchanged(CouncilMeeting, oid, modified):
            self.summary.add("meeting", "unchanged")
            return
        starts_at, ends_at = when(data, "start"), when(data, "end")
        if starts_at and ends_at and ends_at < starts_at:
            raise BadObject("Ende vor Beginn")
        location = self.resolve(data.get("location")) or {}
        meeting, created = CouncilMeeting.objects.update_or_create(
            oparl_id=oid,
            defaults={
                "source": self.source,
                "authority": self.authority,
                "name": text(data, "name", 300) or "Sitzung",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "cancelled": bool(data.get("cancelled")),
                "meeting_state": text(data, "meetingState", 100),
                "location_text": _place(location),
                "web_url": url(data, "web"),
                "modified": modified,
            },
        )
        organizations = [v for v in data.get("organization") or [] if isinstance(v, str)]
        meeting.organizations.set(CouncilOrganization.objects.filter(oparl_id__in=organizations))
        meeting.files.all().delete()
        for key, role in MEETING_FILES:
            value = data.get(key)
            for one in value if isinstance(value, list) else [value]:
                self._file(one, role, meeting=meeting)
        for value in data.get("auxiliaryFile") or []:
            self._file(value, FileRole.AUXILIARY, meeting=meeting)
        self._agenda(meeting, data.get("agendaItem") or [])
        self._event(meeting, location)
        self.summary.add("meeting", "created" if created else "updated")

    def _delete_meeting(self, oid: str) -> None:
        meeting = CouncilMeeting.objects.filter(oparl_id=oid).select_related("event").first()
        if meeting is None:
            return
        if meeting.event is not None:
            meeting.event.delete()
        meeting.delete()
        self.summary.add("meeting", "deleted")

    def _agenda(self, meeting: CouncilMeeting, values: list[Any]) -> None:
        kept = []
        for position, value in enumerate(values):
            data = self.resolve(value)
            if data is None:
                continue
            oid = oparl_id(data)
            item, created = CouncilAgendaItem.objects.update_or_create(
                oparl_id=oid,
                defaults={
                    "meeting": meeting,
                    "number": text(data, "number", 50),
                    "order": data.get("order") if isinstance(data.get("order"), int) else position,
                    "name": text(data, "name", 5000) or "–",
                    "public": data.get("public") is not False,
                    "result": text(data, "result", 300),
                    "resolution_text": text(data, "resolutionText", 20000),
                },
            )
            kept.append(item.pk)
            self.summary.add("agenda_item", "created" if created else "updated")
            self._file(data.get("resolutionFile"), FileRole.RESOLUTION, meeting=meeting, item=item)
            for aux in data.get("auxiliaryFile") or []:
                self._file(aux, FileRole.AUXILIARY, meeting=meeting, item=item)
        stale = meeting.agenda.exclude(pk__in=kept)
        self.summary.add("agenda_item", "deleted", stale.count())
        stale.delete()

    def _file(
        self,
        value: Any,
        role: str,
        *,
        meeting: CouncilMeeting | None = None,
        item: CouncilAgendaItem | None = None,
        paper: CouncilPaper | None = None,
    ) -> None:
        """A link to the document; the PDF itself stays on the council system."""
        data = self.resolve(value) if value else None
        if data is None or data.get("deleted"):
            return
        access = url(data, "accessUrl") or url(data, "downloadUrl")
        if not access:
            self.summary.error(str(data.get("id", "")), "Dokument ohne accessUrl übersprungen")
            return
        CouncilFile.objects.create(
            meeting=meeting,
            agenda_item=item,
            paper=paper,
            oparl_id=oparl_id(data),
            role=role,
            name=text(data, "name", 300) or text(data, "fileName", 300) or "Dokument",
            mime_type=text(data, "mimeType", 100),
            size=data.get("size") if isinstance(data.get("size"), int) else None,
            access_url=access,
            download_url=url(data, "downloadUrl"),
        )
        self.summary.add("file", "created")

    def _event(self, meeting: CouncilMeeting, location: dict[str, Any]) -> None:
        """The calendar entry of a dated meeting (category "Sitzung")."""
        if meeting.starts_at is None:
            if meeting.event is not None:
                meeting.event.delete()
            return
        category, _created = EventCategory.objects.get_or_create(
            slug=SESSION_CATEGORY["slug"], defaults={"name": SESSION_CATEGORY["name"], "order": 50}
        )
        event = meeting.event or Event()
        committees = ", ".join(o.name for o in meeting.organizations.all())
        event.authority = self.authority
        event.category = category
        event.title = f"{meeting.name} (abgesagt)" if meeting.cancelled else meeting.name
        event.title = event.title[:200]
        event.description = f"Sitzung: {committees}" if committees else ""
        event.starts_at = meeting.starts_at
        event.ends_at = meeting.ends_at
        event.all_day = False
        event.address = meeting.location_text[:200]
        event.location = _point(location)
        event.is_published = True
        event_save(event)
        if meeting.event_id != event.pk:
            meeting.event = event
            meeting.save(update_fields=["event"])

    def paper(self, data: dict[str, Any]) -> None:
        oid = oparl_id(data)
        if data.get("deleted"):
            deleted, _rows = CouncilPaper.objects.filter(oparl_id=oid).delete()
            self.summary.add("paper", "deleted", bool(deleted))
            return
        modified = when(data, "modified")
        if self._unchanged(CouncilPaper, oid, modified):
            self.summary.add("paper", "unchanged")
            return
        paper, created = CouncilPaper.objects.update_or_create(
            oparl_id=oid,
            defaults={
                "source": self.source,
                "authority": self.authority,
                "name": text(data, "name", 500) or text(data, "reference", 500) or "Vorlage",
                "reference": text(data, "reference", 100),
                "paper_type": text(data, "paperType", 100),
                "date": day(data, "date"),
                "web_url": url(data, "web"),
                "modified": modified,
            },
        )
        paper.files.all().delete()
        self._file(data.get("mainFile"), FileRole.MAIN, paper=paper)
        items = [
            c.get("agendaItem")
            for c in data.get("consultation") or []
            if isinstance(c, dict) and isinstance(c.get("agendaItem"), str)
        ]
        CouncilAgendaItem.objects.filter(oparl_id__in=items).update(paper=paper)
        self.summary.add("paper", "created" if created else "updated")


def _place(location: dict[str, Any]) -> str:
    street = text(location, "streetAddress", 150)
    town = " ".join(
        p for p in (text(location, "postalCode", 10), text(location, "locality", 80)) if p
    )
    parts = [text(location, "description", 150), text(location, "room", 60), street, town]
    return ", ".join(p for p in parts if p)[:300]


def _point(location: dict[str, Any]) -> Point | None:
    """The Location's GeoJSON point (WGS84), if it has a plausible one."""
    geojson = location.get("geojson")
    geometry = geojson.get("geometry") if isinstance(geojson, dict) else None
    if isinstance(geojson, dict) and geojson.get("type") == "Point":
        geometry = geojson
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    try:
        lon, lat = (float(v) for v in geometry["coordinates"][:2])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return Point(lon, lat, srid=4326)
