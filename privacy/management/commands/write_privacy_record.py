"""Write docs/privacy.md, the record of processing activities, from privacy.record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.record import render


class Command(BaseCommand):
    help = "Writes docs/privacy.md (record of processing activities) from the models' registry."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="only report a difference")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "privacy.md"
        text = render()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if options["check"]:
            if current != text:
                self.stderr.write("docs/privacy.md is out of date: run write_privacy_record")
                raise SystemExit(1)
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
