"""File the demo reports idempotently (after load_demo): data/demo_reports.py."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from data.demo_reports import load_demo_reports


class Command(BaseCommand):
    help = "Demo reports in all statuses, filed through the services. Dry run unless --commit."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = load_demo_reports(commit=options["commit"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        verb = "filed" if options["commit"] else "would be filed (dry run)"
        self.stdout.write(
            f"Demo reports: {counts['created']} {verb}, {counts['existing']} already there, "
            f"{counts['skipped']} without a place"
        )
