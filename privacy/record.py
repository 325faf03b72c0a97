"""The record of processing activities (Art. 30 DSGVO) as data: every app that stores personal
data registers which fields of which model hold it, why, who receives it and which retention
period ends it (privacy.models.RecordType, or a text). `render()` writes docs/privacy.md
(`manage.py write_privacy_record`); a test keeps that file in step with the models."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

from .models import DEFAULT_MONTHS, RecordType


@dataclass(frozen=True)
class Processing:
    key: str
    title: str
    model: str  # "app_label.Model"
    fields: tuple[str, ...]
    purpose: str
    recipients: str
    periods: tuple[str, ...] = ()  # RecordType values
    period_note: str = ""
    order: int = 100
    extra: tuple[str, ...] = field(default=())


_ACTIVITIES: dict[str, Processing] = {}


def register(activity: Processing) -> None:
    _ACTIVITIES[activity.key] = activity


def activities() -> list[Processing]:
    return sorted(_ACTIVITIES.values(), key=lambda a: (a.order, a.key))


def field_label(model: str, name: str) -> str:
    return str(apps.get_model(model)._meta.get_field(name).verbose_name)


def period_text(activity: Processing) -> str:
    parts = [
        f"{RecordType(p).label}: {DEFAULT_MONTHS[p]} Monate (Vorgabe)" for p in activity.periods
    ]
    if activity.period_note:
        parts.append(activity.period_note)
    return "; ".join(str(p) for p in parts)


HEADER = """\
# Verzeichnis der Verarbeitungstätigkeiten (Art. 30 DSGVO)

Erzeugt von `manage.py write_privacy_record` aus den Angaben der Apps (`privacy.record`);
nicht von Hand ändern — ein Test schlägt fehl, wenn diese Datei nicht mehr zu den Modellen
passt. Die Fristen sind die mitgelieferten Vorgaben in Monaten; Stellen setzen eigene
(Admin: Datenschutz > Aufbewahrungsfristen, Kategorien: eigene Fristen für Meldungen), der
nächtliche Lauf `privacy.apply_retention` wendet sie an, nie auf Datensätze mit einer
Aufbewahrungssperre. Lesezugriffe der Mitarbeitenden auf Kontaktdaten stehen im
Zugriffsprotokoll (Admin: Datenschutz > Zugriffsprotokoll).
"""


# What happens when a period ends (privacy.retention jobs of tracker and catalogue).
PERIOD_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        RecordType.REPORT_CONTACT,
        "Abschluss (erledigt, abgelehnt, Duplikat)",
        "Name, E-Mail, Telefon, Kontoverknüpfung und Unterstützende der Meldung gelöscht",
    ),
    (
        RecordType.REPORT,
        "Abschluss",
        "außerdem Beschreibung (außer als unbedenklich markiert), Texte im Verlauf und nicht "
        "freigegebene Fotos gelöscht; Kategorie, Ort, Status und Daten bleiben",
    ),
    (
        RecordType.APPLICATION,
        "Abschluss (erledigt, abgelehnt)",
        "Antragsteller/in, Angaben, Anschrift, Ort, Anlagen, Nachrichten, Verlaufstexte gelöscht",
    ),
    (RecordType.MESSAGE, "Abschluss des Antrags", "Postfachnachrichten mit Anlagen gelöscht"),
    (RecordType.ACCESS_LOG, "Eintrag", "Eintrag gelöscht"),
)


def _periods_table() -> str:
    rows = [
        "## Fristen und was an ihrem Ende geschieht",
        "",
        "| Art | Vorgabe (Monate) | ab | dann |",
        "|---|---|---|---|",
    ]
    for record_type, since, effect in PERIOD_ROWS:
        label = RecordType(record_type).label
        rows.append(f"| {label} | {DEFAULT_MONTHS[record_type]} | {since} | {effect} |")
    return "\n".join(rows) + "\n"


EXPORT_INTRO = """\
## Auskunft und Datenübertragbarkeit: Aufbau des Archivs

Bürgerinnen und Bürger laden ihre Daten im Bürgerkonto herunter (Mein Konto > Meine Daten
herunterladen, `/konto/daten/`); für Gäste ohne Konto gibt die Verwaltung der Stelle oder
die/der Datenschutzbeauftragte die E-Mail-Adresse ein (`/datenschutz/gast-auskunft/`), die
Person bestätigt über den zugesandten Link und lädt das Archiv dort herunter (Mitarbeitende
sehen es nie; Anfrage und Erstellung stehen im Zugriffsprotokoll). Das Archiv wird im
Hintergrund erstellt (`privacy.build_export` über die Outbox) und ist 7 Tage abrufbar
(`PRIVACY_EXPORT_DAYS`). Gibt die Outbox das Erstellen endgültig auf, steht die Auskunft auf
„fehlgeschlagen“ und die Person erhält eine E-Mail (im Konto: neu anfordern; Gäste wenden sich
an die Stelle). Es enthält `README.txt` und diese Dateien (Teile der Apps,
`privacy.export.register_part`; für Gäste nur die mit „auch für Gäste“):
"""


def _export_section() -> str:
    from . import export

    lines = [EXPORT_INTRO]
    for part in export.parts():
        guests = " (auch für Gäste)" if part.guests else ""
        lines += [f"### {part.title}{guests}", "", "```", part.description.rstrip(), "```", ""]
    return "\n".join(lines)


def render() -> str:
    lines = [HEADER, _periods_table()]
    for activity in activities():
        labels = ", ".join(
            f"{field_label(activity.model, name)} (`{name}`)" for name in activity.fields
        )
        lines += [
            f"## {activity.title}",
            "",
            f"- **Daten:** `{activity.model}`: {labels}",
            f"- **Zweck:** {activity.purpose}",
            f"- **Empfänger:** {activity.recipients}",
            f"- **Löschung:** {period_text(activity)}",
            *[f"- {line}" for line in activity.extra],
            "",
        ]
    lines.append(_export_section())
    return "\n".join(lines)


def legal_context() -> dict[str, object]:
    """The privacy statement's list (legal.extras, registered in PrivacyConfig.ready): the
    same activities, fields, purposes, recipients and periods as docs/privacy.md."""
    return {
        "activities": [
            {
                "key": activity.key,
                "title": activity.title,
                "data": ", ".join(field_label(activity.model, n) for n in activity.fields),
                "purpose": activity.purpose,
                "recipients": activity.recipients,
                "periods": period_text(activity),
            }
            for activity in activities()
        ]
    }
