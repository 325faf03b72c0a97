"""Check the hash chain over all history rows: exit 0 when intact, 1 at the first break or
when entries have waited for the sealer longer than LEDGER_SEAL_ALARM_SECONDS (alarm)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tracker.inspections import ledger


class Command(BaseCommand):
    help = "Prüft die Hash-Kette über alle Verlaufseinträge (Meldungen und Kontrollfahrten)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = ledger.verify()
        if result.unchained:
            self.stdout.write(
                f"Hinweis: {result.unchained} Verlaufseinträge ohne Kettenglied "
                "(nicht über die Dienste geschrieben)."
            )
        if not result.ok:
            raise CommandError(
                f"Kette gebrochen bei Glied {result.broken_at}: {result.reason} "
                f"({result.checked} Glieder davor in Ordnung)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Kette in Ordnung: {result.checked} Glieder, Kopf {result.head}")
        )
        if result.unsealed:
            self.stdout.write(
                f"{result.unsealed} Verlaufseinträge warten auf die Versiegelung "
                f"(ältester von {result.oldest_unsealed:%Y-%m-%d %H:%M:%S %Z})."
            )
        if result.alarm:
            minutes = ledger.alarm_after().total_seconds() / 60
            raise CommandError(
                f"Alarm: {result.overdue} Verlaufseinträge seit mehr als {minutes:g} Minuten "
                "nicht versiegelt — läuft der Celery-Worker mit Beat (inspections.seal_ledger)?"
            )
