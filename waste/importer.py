"""Pickup dates from CSV or iCalendar files (`manage.py import_waste_dates`).

The whole file is read and checked first; a file with any error stores nothing and names
every bad line. Storing is idempotent: a date already known is left alone, so the same file
may be imported again (or a corrected one on top).

CSV (delimiter ";" or ","; UTF-8, a BOM is fine), one pickup per line:
    gemeinde;bezirk;abfallart;datum
    Heidestadt (Demo);Nord;Restmüll;2026-07-03      (or 03.07.2026)
iCalendar: one VEVENT per pickup, SUMMARY names the waste type ("Restmüll", "Gelbe Tonne –
Abfuhr" …), DTSTART the day; the district is given on the command line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import icalendar
from django.db import transaction
from django.db.models import Q

from .models import CollectionDistrict, PickupDate, WasteType

MAX_BYTES = 5 * 1024 * 1024
CSV_COLUMNS = ("gemeinde", "bezirk", "abfallart", "datum")


class ImportFailed(Exception):
    """The file cannot be imported; `errors` are the messages, line by line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Result:
    rows: set[tuple[int, int, date]] = field(default_factory=set)
    new: int = 0
    existing: int = 0
    committed: bool = False


def _parse_date(text: str) -> date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
    raise ValueError(text)


class _Resolver:
    """Names in a file → districts and waste types, each looked up once."""

    def __init__(self) -> None:
        self.types = list(WasteType.objects.all())
        self.districts: dict[tuple[str, str], CollectionDistrict | None] = {}

    def waste_type(self, text: str) -> WasteType | None:
        key = text.strip().lower()
        for kind in self.types:
            if key in (kind.name.lower(), kind.slug):
                return kind
        # "Gelbe Tonne – Abfuhr", "Abfuhr Restmüll": the name inside a longer summary.
        found = [kind for kind in self.types if kind.name.lower() in key]
        return found[0] if len(found) == 1 else None

    def district(self, town: str, name: str) -> CollectionDistrict | None:
        key = (town.strip().lower(), name.strip().lower())
        if key not in self.districts:
            self.districts[key] = (
                CollectionDistrict.objects.filter(
                    Q(town__name__iexact=key[0]) | Q(town__slug=key[0]) | Q(town__ags=key[0]),
                    name__iexact=key[1],
                )
                .order_by("pk")
                .first()
            )
        return self.districts[key]


def _csv_row(
    resolver: _Resolver, number: int, row: dict[str, str], rows: set[tuple[int, int, date]]
) -> list[str]:
    values = {k: (row.get(k) or "").strip() for k in CSV_COLUMNS}
    errors: list[str] = []
    district = resolver.district(values["gemeinde"], values["bezirk"])
    if district is None:
        errors.append(
            f"Zeile {number}: Abfuhrbezirk „{values['bezirk']}“ in „{values['gemeinde']}“ "
            "ist unbekannt (zuerst im Admin anlegen)."
        )
    kind = resolver.waste_type(values["abfallart"])
    if kind is None:
        errors.append(f"Zeile {number}: Abfallart „{values['abfallart']}“ ist unbekannt.")
    try:
        day = _parse_date(values["datum"])
    except ValueError:
        errors.append(
            f"Zeile {number}: „{values['datum']}“ ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)."
        )
        return errors
    if district is not None and kind is not None:
        rows.add((district.pk, kind.pk, day))
    return errors


def read_csv(text: str) -> set[tuple[int, int, date]]:
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
    except csv.Error:
        raise ImportFailed(
            ["Die Datei ist keine lesbare CSV-Datei (Trennzeichen ; oder ,)."]
        ) from None
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [f"Es fehlen die Spalten: {', '.join(missing)} (erwartet: {';'.join(CSV_COLUMNS)})."]
        )
    reader.fieldnames = header
    resolver, rows, errors = _Resolver(), set[tuple[int, int, date]](), list[str]()
    for number, row in enumerate(reader, start=2):
        errors += _csv_row(resolver, number, row, rows)
    if errors:
        raise ImportFailed(errors)
    return rows


def read_ical(data: bytes, district: CollectionDistrict) -> set[tuple[int, int, date]]:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise ImportFailed([f"Die Datei ist keine gültige iCalendar-Datei ({error})."]) from None
    resolver, rows, errors = _Resolver(), set[tuple[int, int, date]](), list[str]()
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", ""))
        if event.get("RRULE") is not None:
            errors.append(
                f"Termin {number} („{summary}“): Wiederholungsregeln werden nicht unterstützt."
            )
            continue
        kind = resolver.waste_type(summary)
        start = event.get("DTSTART")
        if kind is None:
            errors.append(f"Termin {number}: Abfallart „{summary}“ ist unbekannt.")
        if start is None:
            errors.append(f"Termin {number} („{summary}“): ohne Datum (DTSTART).")
            continue
        day = start.dt.date() if isinstance(start.dt, datetime) else start.dt
        if kind is not None:
            rows.add((district.pk, kind.pk, day))
    if not rows and not errors:
        errors.append("Die Datei enthält keine Termine (VEVENT).")
    if errors:
        raise ImportFailed(errors)
    return rows


def read_file(path: Path, district: CollectionDistrict | None) -> set[tuple[int, int, date]]:
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as error:
        raise ImportFailed([f"Die Datei kann nicht gelesen werden: {error.strerror}."]) from None
    if len(data) > MAX_BYTES:
        raise ImportFailed(["Die Datei ist größer als 5 MB."])
    if data.lstrip().startswith(b"BEGIN:VCALENDAR"):
        if district is None:
            raise ImportFailed(
                ["Für eine iCalendar-Datei bitte den Bezirk mit --district angeben."]
            )
        return read_ical(data, district)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(["Die Datei ist nicht UTF-8-kodiert."]) from None
    return read_csv(text)


def store(rows: set[tuple[int, int, date]], *, commit: bool) -> Result:
    """Count new and known dates; write the new ones only with commit (one transaction)."""
    result = Result(rows=rows)
    districts = {d for d, _k, _day in rows}
    known = set(
        PickupDate.objects.filter(district_id__in=districts).values_list(
            "district_id", "waste_type_id", "date"
        )
    )
    new = sorted(rows - known)
    result.new, result.existing = len(new), len(rows) - len(new)
    if commit and new:
        with transaction.atomic():
            PickupDate.objects.bulk_create(
                [PickupDate(district_id=d, waste_type_id=k, date=day) for d, k, day in new],
                ignore_conflicts=True,
            )
    result.committed = commit
    return result
