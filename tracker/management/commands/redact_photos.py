"""Blur faces and number plates in photos that had no redaction pass yet (photos stored
before redaction existed, or whose task did not run), in batches:

    manage.py redact_photos [--batch-size 50] [--limit N]

Each photo is its own transaction (tracker.services.redaction.photo_redact), so the command
can be stopped and run again; it continues where it stopped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tracker.models import Photo
from tracker.services import redaction


class Command(BaseCommand):
    help = "Schwärzt Gesichter und Kennzeichen in Fotos, die noch nicht geschwärzt sind."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=50)
        parser.add_argument("--limit", type=int, default=0, help="höchstens so viele Fotos")

    def handle(self, *args: Any, batch_size: int, limit: int, **options: Any) -> None:
        if batch_size < 1 or limit < 0:
            self.stderr.write("--batch-size muss mindestens 1, --limit mindestens 0 sein.")
            raise SystemExit(2)
        done = 0
        processed: list[int] = []
        last_id = 0
        while not limit or done < limit:
            size = min(batch_size, limit - done) if limit else batch_size
            ids = list(
                Photo.objects.filter(redacted_at__isnull=True, pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                break
            for pk in ids:
                if redaction.photo_redact(pk):
                    done += 1
                    processed.append(pk)
            last_id = ids[-1]
            self.stdout.write(f"{done} Foto(s) geschwärzt …")
        rows = Photo.objects.filter(pk__in=processed).values_list("blur_boxes", flat=True)
        boxes = sum(len(row) for row in rows)
        left = Photo.objects.filter(redacted_at__isnull=True).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} Foto(s) geschwärzt; {boxes} Bereich(e) gefunden; {left} noch offen."
            )
        )
