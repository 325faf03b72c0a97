"""Load the demo service catalogue idempotently (after load_demo, which creates the authorities)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from data.catalogue_seed import load_catalogue


class Command(BaseCommand):
    help = (
        "Create the demo service catalogue (services, synonyms, fees, overrides, authority "
        "pages). Dry run unless --commit is given; safe to run repeatedly."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument(
            "--overwrite", action="store_true", help="reset existing services to the demo data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_catalogue(commit=options["commit"], overwrite=options["overwrite"])
        verb = "created" if options["commit"] else "would be created"
        parts = [f"{count} {label}" for label, count in sorted(created.items()) if count]
        self.stdout.write(f"Catalogue: {', '.join(parts) or 'nothing new'} {verb}.")
