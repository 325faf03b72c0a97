"""Drain the outbox without Celery (e.g. while Redis is down, or from cron).

manage.py deliver_outbox            # dry run: what is pending, what is due
manage.py deliver_outbox --commit   # deliver every due pending row now
manage.py deliver_outbox --commit --all   # also rows whose backoff has not run out
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from outbox import delivery, selectors
from outbox.models import OutboxMessage


class Command(BaseCommand):
    help = "Deliver pending notifications (outbox) directly, without a Celery worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="really deliver")
        parser.add_argument("--all", action="store_true", help="ignore the backoff times")
        parser.add_argument("--limit", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        pending = (
            OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
            if options["all"]
            else selectors.due()
        )
        ids = list(
            pending.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[
                : options["limit"]
            ]
        )
        if not options["commit"]:
            total = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
            self.stdout.write(
                f"{total} pending, {len(ids)} to deliver now. Dry run: add --commit to deliver."
            )
            return
        results: dict[str, int] = {}
        for message_id in ids:
            result = delivery.deliver(message_id)
            results[result] = results.get(result, 0) + 1
        summary = ", ".join(f"{count} {name}" for name, count in sorted(results.items()))
        self.stdout.write(f"{len(ids)} processed: {summary or 'nothing to do'}")
