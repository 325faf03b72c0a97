"""Import council sessions from an OParl 1.1 system. Dry run unless --commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boundaries.models import Authority
from events.oparl.client import DirectoryFetcher, Fetcher, HttpFetcher
from events.oparl.importer import import_oparl


class Command(BaseCommand):
    help = (
        "Sitzungen, Tagesordnungen, Gremien und Vorlagen aus einem OParl-1.1-System einlesen "
        "(URL des System-Objekts). Ohne --commit wird nur geprüft; mehrfaches Einlesen ist "
        "unschädlich, nach einem fehlerfreien Lauf werden nur Änderungen abgefragt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="URL of the OParl System object")
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument("--authority", help="slug of the authority all bodies belong to")
        parser.add_argument("--full", action="store_true", help="ignore the last sync time")
        parser.add_argument(
            "--directory",
            type=Path,
            help="read the JSON from this directory instead of the network (file per URL path)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        authority = None
        if options["authority"]:
            authority = Authority.objects.filter(slug=options["authority"]).first()
            if authority is None:
                raise CommandError(f"Behörde „{options['authority']}“ gibt es nicht.")
        fetcher: Fetcher = HttpFetcher()
        if options["directory"] is not None:
            if not options["directory"].is_dir():
                raise CommandError(f"Verzeichnis {options['directory']} gibt es nicht.")
            fetcher = DirectoryFetcher(options["directory"], options["url"].rsplit("/", 1)[0])
        summary = import_oparl(
            options["url"],
            fetcher=fetcher,
            authority=authority,
            commit=options["commit"],
            full=options["full"],
        )
        self.stdout.write(str(summary))
        if summary.errors:
            self.stderr.write(
                f"{len(summary.errors)} Seiten oder Objekte übersprungen (siehe oben)."
            )
