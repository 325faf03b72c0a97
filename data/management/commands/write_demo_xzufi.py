"""Regenerate data/xzufi/demo-catalogue.xml from the demo specs (data.xzufi_demo)."""

from typing import Any

from django.core.management.base import BaseCommand

from data.xzufi_demo import write


class Command(BaseCommand):
    help = "Write the demo catalogue as an XZuFi 2.2 file (data/xzufi/demo-catalogue.xml)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{write()} written.")
