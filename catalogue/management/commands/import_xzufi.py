"""Import services, organisational units and Zuständigkeiten from an XZuFi 2.2 export."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.xzufi.source import ImportFailed, run_import


class Command(BaseCommand):
    help = (
        "Import an XZuFi 2.2 catalogue (Leistungen, Organisationseinheiten, Zuständigkeiten) "
        "from a file path or an http(s) URL. Dry run (prints what would change) unless "
        "--commit is given; a second run of the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path or http(s) URL of the XZuFi document")
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        commit = options["commit"]
        try:
            summary = run_import(options["source"], commit=commit)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        title = "XZuFi import" if commit else "XZuFi import (dry run, nothing written)"
        self.stdout.write(f"{title}: {options['source']}")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
