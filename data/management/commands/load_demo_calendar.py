"""Load the demo events and the demo Abfallkalender idempotently (after load_demo)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boundaries.models import Authority
from data.demo_calendar import load_demo_calendar
from data.demo_spec import STADT


class Command(BaseCommand):
    help = "Demo events and collection districts with dates. Dry run unless --commit."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Authority.objects.filter(slug=STADT).exists():
            raise CommandError("Die Demo-Region fehlt: zuerst `manage.py load_demo --commit`.")
        for line in load_demo_calendar(commit=options["commit"]):
            self.stdout.write(line)
