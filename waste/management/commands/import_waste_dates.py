"""Import pickup dates from a CSV or iCalendar file. Dry run unless --commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from waste.importer import ImportFailed, read_file, store
from waste.models import CollectionDistrict


def _district(value: str | None) -> CollectionDistrict | None:
    if not value:
        return None
    town, sep, name = value.partition("/")
    query = (
        Q(pk=int(value))
        if value.isdigit()
        else Q(town__name__iexact=town.strip(), name__iexact=name.strip())
    )
    if not sep and not value.isdigit():
        raise CommandError("--district als Nummer oder „Gemeinde/Bezirk“ angeben.")
    district = CollectionDistrict.objects.filter(query).first()
    if district is None:
        raise CommandError(f"Abfuhrbezirk „{value}“ gibt es nicht.")
    return district


class Command(BaseCommand):
    help = (
        "Abfuhrtermine aus CSV (gemeinde;bezirk;abfallart;datum) oder iCalendar (.ics, mit "
        "--district) einlesen. Ohne --commit wird nur geprüft; mehrfaches Einlesen ist unschädlich."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument("--district", help="for .ics files: district id or 'Gemeinde/Bezirk'")

    def handle(self, *args: Any, **options: Any) -> None:
        district = _district(options["district"])
        try:
            rows = read_file(options["path"], district)
        except ImportFailed as failed:
            raise CommandError(
                "Nichts gespeichert, die Datei hat Fehler:\n" + "\n".join(failed.errors)
            ) from None
        result = store(rows, commit=options["commit"])
        verb = (
            "gespeichert"
            if result.committed
            else "würden gespeichert (Probelauf, --commit speichert)"
        )
        self.stdout.write(
            f"{len(result.rows)} Termine gelesen: {result.new} neu {verb}, "
            f"{result.existing} schon vorhanden."
        )
