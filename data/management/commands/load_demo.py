"""Load the demo region idempotently (authorities, boundaries, roads, assets, categories, teams)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from data.demo import load_demo


class Command(BaseCommand):
    help = (
        "Build the fictional demo region (Landkreis Heideland (Demo), Land code 99). "
        "Dry run unless --commit is given; safe to run repeatedly."
    )
    # Runs on every `make run` right after `migrate`, which has just run the system checks;
    # skipping them here keeps a run with nothing to do well under a second.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument(
            "--overwrite-categories",
            action="store_true",
            help="reset existing categories to the demo's settings (default: create missing only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(
            commit=options["commit"], overwrite_categories=options["overwrite_categories"]
        )
        for line in summary.lines():
            self.stdout.write(line)
