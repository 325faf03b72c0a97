"""The participation's entry in the record of processing activities (docs/privacy.md)."""

from __future__ import annotations

from privacy import record

RECORD = (
    record.Processing(
        key="plan_statements",
        title="Stellungnahmen zu Bebauungsplänen",
        model="participation.Statement",
        fields=("author", "name", "email", "text", "pin"),
        purpose=(
            "Öffentlichkeitsbeteiligung nach § 3 BauGB: Eingangsbestätigung, Abwägung der "
            "Stellungnahme durch die planende Stelle, Mitteilung des Ergebnisses (§ 3 Abs. 2 "
            "Satz 6 BauGB). Anlagen (participation.StatementAttachment) ohne Metadaten."
        ),
        recipients=(
            "die planende Stelle; der Gemeinderat als Teil der Abwägungsunterlagen "
            "(CSV-/PDF-Export), ohne Veröffentlichung."
        ),
        period_note=(
            "gehört zur Verfahrensakte des Bebauungsplans und wird mit ihr nach dem "
            "Archivrecht des Landes aufbewahrt; unbestätigte Gast-Stellungnahmen werden nicht "
            "weitergegeben"
        ),
        order=40,
    ),
)


def register() -> None:
    for activity in RECORD:
        record.register(activity)
