"""Demo council sessions of Heidestadt, loaded through the real OParl import
(`events.oparl.importer.import_oparl` with a `DirectoryFetcher`): the OParl 1.1 JSON of a
small council system is written to a temporary directory — System, Body, paged lists of
committees, meetings (with agenda items and files) and papers — and imported from there, so
`make run` shows upcoming sessions without a network. Dates are anchored on this week's
Monday, and `modified` too, so a second load in the same week changes nothing."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from boundaries.places import search_places
from events.models import OParlSource
from events.oparl.client import DirectoryFetcher
from events.oparl.importer import import_oparl

BASE = "https://ratsinfo.heidestadt.example/oparl/v1.1"
T = "https://schema.oparl.org/1.1/"
AGS = "99001001"  # Heidestadt in the demo region
COMMITTEES = (
    (1, "Rat der Stadt Heidestadt", "Rat", "Hauptorgan"),
    (2, "Ausschuss für Bauen, Planung und Umwelt", "BPU", "Ausschuss"),
    (3, "Ausschuss für Schule, Kultur und Sport", "SKS", "Ausschuss"),
)
# number, committee, days after Monday, hour, agenda
MEETINGS: tuple[tuple[int, int, int, int, tuple[str, ...]], ...] = (
    (41, 2, -4, 18, ("Eröffnung, Feststellung der Beschlussfähigkeit", "Radweg Bahnhofstraße")),
    (
        42,
        2,
        8,
        18,
        (
            "Eröffnung, Feststellung der Beschlussfähigkeit",
            "Bebauungsplan Nr. 12 „Am Mühlenbach“: Aufstellungsbeschluss",
            "Sanierung der Brücke am Heideweg",
            "Mitteilungen der Verwaltung",
        ),
    ),
    (43, 3, 10, 17, ("Eröffnung", "Schulwegsicherung Gartenstraße", "Sportstättenbedarfsplan")),
    (
        44,
        1,
        15,
        19,
        (
            "Eröffnung, Feststellung der Tagesordnung",
            "Einwohnerfragestunde",
            "Bebauungsplan Nr. 12 „Am Mühlenbach“: Aufstellungsbeschluss",
            "Haushaltssatzung 2027",
            "Grundstücksangelegenheiten",
        ),
    ),
)
PAGE_SIZE = 3


def _file(ident: str, name: str) -> dict[str, Any]:
    return {
        "id": f"{BASE}/file/{ident}",
        "type": T + "File",
        "name": name,
        "fileName": f"{ident}.pdf",
        "mimeType": "application/pdf",
        "size": 120_000 + 7_919 * len(ident),
        "accessUrl": f"{BASE}/file/{ident}/access",
        "downloadUrl": f"{BASE}/file/{ident}/download",
    }


def _location(point: tuple[float, float] | None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "id": f"{BASE}/location/1",
        "type": T + "Location",
        "description": "Rathaus Heidestadt, Ratssaal",
        "streetAddress": "Am Markt 1",
        "postalCode": "29999",
        "locality": "Heidestadt",
    }
    if point is not None:
        location["geojson"] = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(point[0], 6), round(point[1], 6)]},
            "properties": {},
        }
    return location


def _meeting(
    spec: tuple[int, int, int, int, tuple[str, ...]], monday: date, **shared: Any
) -> dict[str, Any]:
    number, committee, days, hour, agenda = spec
    start = timezone.make_aware(datetime.combine(monday + timedelta(days=days), time(hour)))
    mid = f"{BASE}/meeting/{number}"
    past = days < 0
    items = [
        {
            "id": f"{mid}/agendaitem/{n}",
            "type": T + "AgendaItem",
            "meeting": mid,
            "number": f"Ö {n}" if "Grundstück" not in name else f"N {n}",
            "order": n,
            "name": name,
            "public": "Grundstück" not in name,
            **({"result": "ohne Änderungen beschlossen"} if past and n > 1 else {}),
        }
        for n, name in enumerate(agenda, start=1)
    ]
    meeting: dict[str, Any] = {
        "id": mid,
        "type": T + "Meeting",
        "name": f"{number}. Sitzung – {COMMITTEES[committee - 1][1]}",
        "meetingState": "durchgeführt" if past else "eingeladen",
        "cancelled": False,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2, minutes=30)).isoformat(),
        "location": shared["location"],
        "organization": [f"{BASE}/organization/{committee}"],
        "invitation": _file(f"einladung-{number}", f"Einladung zur {number}. Sitzung"),
        "auxiliaryFile": [_file(f"sitzungsvorlagen-{number}", "Sitzungsvorlagen (gesamt)")],
        "agendaItem": items,
        "created": shared["modified"],
        "modified": shared["modified"],
    }
    if past:
        meeting["resultsProtocol"] = _file(f"protokoll-{number}", "Ergebnisprotokoll")
    return meeting


def _paper(modified: str) -> dict[str, Any]:
    return {
        "id": f"{BASE}/paper/12",
        "type": T + "Paper",
        "body": f"{BASE}/body/1",
        "name": "Bebauungsplan Nr. 12 „Am Mühlenbach“ – Aufstellungsbeschluss",
        "reference": "VO/2026/012",
        "paperType": "Beschlussvorlage",
        "date": modified[:10],
        "mainFile": _file("vo-2026-012", "Beschlussvorlage VO/2026/012"),
        "consultation": [
            {
                "id": f"{BASE}/consultation/{m}",
                "type": T + "Consultation",
                "agendaItem": f"{BASE}/meeting/{m}/agendaitem/{n}",
                "role": role,
            }
            for m, n, role in ((42, 2, "Vorberatung"), (44, 3, "Beschlussfassung"))
        ],
        "created": modified,
        "modified": modified,
    }


def _pages(root: Path, name: str, items: list[dict[str, Any]]) -> None:
    """A paged OParl list as files: name.json, name_page2.json, …"""
    total = max(1, -(-len(items) // PAGE_SIZE))
    for number in range(1, total + 1):
        page: dict[str, Any] = {
            "data": items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
            "pagination": {
                "totalElements": len(items),
                "elementsPerPage": PAGE_SIZE,
                "currentPage": number,
                "totalPages": total,
            },
            "links": {"first": f"{BASE}/{name}"},
        }
        if number < total:
            page["links"]["next"] = f"{BASE}/{name}?page={number + 1}"
        suffix = "" if number == 1 else f"_page{number}"
        path = root / f"{name}{suffix}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")


def write_demo_system(root: Path, today: date) -> str:
    """Write the demo council system's JSON below `root`; returns the System URL."""
    monday = today - timedelta(days=today.weekday())
    modified = timezone.make_aware(datetime.combine(monday, time(6))).isoformat()
    found = [p for p in search_places("Am Markt, Heidestadt", limit=3) if p.kind == "street"]
    shared = {
        "location": _location((found[0].lon, found[0].lat) if found else None),
        "modified": modified,
    }
    system = {
        "id": f"{BASE}/system",
        "type": T + "System",
        "oparlVersion": T,
        "name": "Ratsinformationssystem Heidestadt (Demo)",
        "body": f"{BASE}/bodies",
    }
    body = {
        "id": f"{BASE}/body/1",
        "type": T + "Body",
        "system": f"{BASE}/system",
        "name": "Stadt Heidestadt",
        "shortName": "Heidestadt",
        "ags": AGS,
        "organization": f"{BASE}/body/1/organizations",
        "meeting": f"{BASE}/body/1/meetings",
        "paper": f"{BASE}/body/1/papers",
        "legislativeTerm": [],
        "created": modified,
        "modified": modified,
    }
    (root / "system.json").write_text(json.dumps(system), encoding="utf-8")
    _pages(root, "bodies", [body])
    organizations = [
        {
            "id": f"{BASE}/organization/{n}",
            "type": T + "Organization",
            "body": body["id"],
            "name": name,
            "shortName": short,
            "organizationType": "Gremium",
            "classification": kind,
            "created": modified,
            "modified": modified,
        }
        for n, name, short, kind in COMMITTEES
    ]
    _pages(root, "body/1/organizations", organizations)
    _pages(root, "body/1/meetings", [_meeting(spec, monday, **shared) for spec in MEETINGS])
    _pages(root, "body/1/papers", [_paper(modified)])
    return f"{BASE}/system"


def load_demo_council(*, commit: bool, today: date | None = None) -> list[str]:
    """Import the demo council system (needs the demo region); returns the summary."""
    with tempfile.TemporaryDirectory(prefix="oparl-demo-") as tmp:
        root = Path(tmp)
        system_url = write_demo_system(root, today or timezone.localdate())
        summary = import_oparl(
            system_url, fetcher=DirectoryFetcher(root, BASE), commit=commit, full=True
        )
    # Not a real system: the hourly sync (events.sync_oparl) leaves it alone.
    OParlSource.objects.filter(system_url=system_url).update(is_active=False)
    return summary.lines()
