"""What the tracker contributes to privacy (registered in TrackerConfig.ready): its retention
jobs and the reports as a kind of record that staff can put under a legal hold; and the one
way its staff doors (page, API, admin) log a read of a reporter's contact data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from privacy import access, export, holds, record, retention

from . import export_part
from .models import Report
from .selectors import report_id_from_reference
from .services import retention as report_retention


def resolve_report(reference: str) -> holds.Target | None:
    pk = report_id_from_reference(reference)
    report = Report.objects.filter(pk=pk).first() if pk is not None else None
    if report is None:
        return None
    return holds.Target(report.pk, report.authority_id, report.reference)


# The tracker's entries in the record of processing activities (docs/privacy.md).
RECORD = (
    record.Processing(
        key="report",
        title="Mängelmeldungen",
        model="tracker.Report",
        fields=("reporter", "reporter_email", "reporter_name", "reporter_phone", "description"),
        purpose="Bearbeitung der Meldung, Rückfragen und Nachrichten zum Stand.",
        recipients="die zuständige Stelle (bei Weiterleitung die neue) und ihre Teams; über "
        "Open311 angebundene Fachverfahren der Stelle. Öffentlich nur Ort, Kategorie, "
        "Beschreibung und freigegebene Fotos, nie Kontaktdaten.",
        periods=("report_contact", "report"),
        period_note="die Beschreibung bleibt, wenn Mitarbeitende sie als frei von "
        "personenbezogenen Daten markiert haben",
        order=20,
    ),
    record.Processing(
        key="report_photo",
        title="Fotos zu Meldungen",
        model="tracker.Photo",
        fields=("image", "thumbnail"),
        purpose="Beschreibung des Mangels; Metadaten (EXIF, GPS) werden beim Hochladen entfernt.",
        recipients="die zuständige Stelle; öffentlich erst nach Freigabe, und nur in der "
        "geschwärzten Fassung (siehe „Fotos: Schwärzung“).",
        periods=("report",),
        period_note="nicht freigegebene Fotos gehen mit der Anonymisierung",
        order=21,
    ),
    record.Processing(
        key="report_photo_redaction",
        title="Fotos: Schwärzung",
        model="tracker.Photo",
        fields=("original", "blur_boxes"),
        purpose="Schutz abgebildeter Dritter: Gesichter und Kfz-Kennzeichen werden in der "
        "öffentlichen Fassung eines Fotos unkenntlich gemacht (verpixelt und weichgezeichnet).",
        recipients="keine; das ungeschwärzte Original sehen nur Mitarbeitende der zuständigen "
        "Stelle (nie die Öffentlichkeit, die API, Open311 oder die Kartenkacheln).",
        periods=("report",),
        period_note="mit der Anonymisierung wird das Original gelöscht, auch bei freigegebenen "
        "Fotos; öffentlich bleibt nur die geschwärzte Fassung",
        order=21,
        extra=(
            "**Erkennung:** automatisch nach dem Hochladen (Hintergrundaufgabe "
            "`tracker.redact_photo`), auf dem eigenen Server mit den in OpenCV "
            "(`opencv-python-headless`) mitgelieferten Haar-Kaskaden für Gesichter "
            "(frontal) und Kennzeichen; kein externer Dienst, keine biometrische "
            "Identifizierung, gespeichert werden nur Rechtecke.",
            "**Prüfung:** Die Erkennung übersieht Gesichter im Profil, kleine oder schräge "
            "Kennzeichen und markiert manchmal Fenster oder Schilder. Mitarbeitende sehen "
            "auf der Meldungsseite das Original mit umrandeten Bereichen, ziehen weitere "
            "Bereiche auf oder entfernen welche (Verlaufseintrag je Änderung), bevor sie das "
            "Foto freigeben. Spätestens die Freigabe schwärzt ein noch nicht geprüftes Foto.",
            "**Abschalten:** `PHOTO_REDACTION_DETECT=false` schaltet die automatische "
            "Erkennung ab; von Hand gezogene Bereiche werden weiter geschwärzt. Fotos aus der "
            "Zeit vor der Schwärzung: `manage.py redact_photos`.",
        ),
    ),
    record.Processing(
        key="support",
        title="Unterstützungen („Ich bin auch betroffen“)",
        model="tracker.Support",
        fields=("user", "email"),
        purpose="Nachrichten zum Stand an Unterstützende.",
        recipients="keine (öffentlich ist nur ihre Zahl).",
        periods=("report_contact",),
        order=22,
    ),
)


def register() -> None:
    retention.register_job("report_contact", report_retention.erase_contact_due)
    retention.register_job("report_anonymise", report_retention.anonymise_due)
    holds.register_kind(holds.HoldKind(report_retention.HOLD_KIND, _("Meldung"), resolve_report))
    for activity in RECORD:
        record.register(activity)
    export.register_part(export_part.PART)


CONTACT_FIELDS = ("reporter_name", "reporter_email", "reporter_phone")


def log_contact_view(user: Any, report: Report, channel: str) -> None:
    """Staff saw this report's contact data (page, API, admin): one access log row. Nothing
    is logged when the report has no contact data (any more)."""
    shown = [name for name in CONTACT_FIELDS if getattr(report, name)]
    if not shown:
        return
    access.log_access(
        user,
        action=access.VIEW,
        channel=channel,
        kind=report_retention.HOLD_KIND,
        object_id=report.pk,
        reference=report.reference,
        authority_id=report.authority_id,
        fields=",".join(shown),
    )


def log_contact_change(user: Any, report: Report, channel: str, *, reason: str = "") -> None:
    """An admin changed or deleted a report with contact data."""
    access.log_access(
        user,
        action=access.CHANGE,
        channel=channel,
        kind=report_retention.HOLD_KIND,
        object_id=report.pk,
        reference=report.reference,
        authority_id=report.authority_id,
        fields=",".join(name for name in CONTACT_FIELDS if getattr(report, name)),
        reason=reason,
    )
