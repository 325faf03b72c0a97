"""Load the demo region idempotently (authorities, boundaries, roads, assets, categories)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Build the demo region. Dry run unless --commit is given; safe to run repeatedly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Demo region: nothing to load yet.")
