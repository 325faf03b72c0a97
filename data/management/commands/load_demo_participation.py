"""Load the demo Bebauungsplan (in its display period) idempotently (after load_demo)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from boundaries.models import Authority
from data.demo_participation import load_demo_participation
from data.demo_spec import STADT


class Command(BaseCommand):
    help = "A demo development plan on display with its area and a PDF. Dry run unless --commit."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Authority.objects.filter(slug=STADT).exists():
            raise CommandError("Die Demo-Region fehlt: zuerst `manage.py load_demo --commit`.")
        for line in load_demo_participation(commit=options["commit"]):
            self.stdout.write(line)
