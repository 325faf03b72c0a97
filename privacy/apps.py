from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data protection over the lifetime of the data: retention periods and legal holds, the
    access log, subject access exports and the record of processing activities. The apps
    above (tracker, catalogue, notifications) register their parts in their ready()."""

    name = "privacy"
    verbose_name = _("Datenschutz")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.signals import account_erasing
        from legal import extras
        from outbox import registry

        from . import access, account_part, export, exports, record, retention

        retention.register_job("access_log", access.purge_expired)
        retention.register_job("data_exports", exports.purge_expired)
        registry.register(exports.BUILD, exports.build_handler, on_give_up=exports.build_gave_up)
        export.register_part(account_part.PART)
        account_erasing.connect(exports.erase_for_account, dispatch_uid="privacy.erase_exports")
        extras.register(
            extras.Extra("record", "datenschutz", "privacy/legal_record.html", record.legal_context)
        )
        record.register(
            record.Processing(
                key="account",
                title="Bürgerkonto",
                model="accounts.User",
                fields=("email", "display_name", "first_name", "last_name", "last_login"),
                purpose="Anmeldung, Zuordnung der eigenen Meldungen und Anträge, Nachrichten.",
                recipients="keine; Mitarbeitende der zuständigen Stelle sehen die E-Mail-Adresse "
                "bei Meldungen und Anträgen der Person.",
                period_note="bis die Person ihr Konto löscht (sofort, Art. 17 DSGVO)",
                order=10,
            )
        )
        record.register(
            record.Processing(
                key="access_log",
                title="Zugriffsprotokoll",
                model="privacy.AccessLogEntry",
                fields=("actor_email", "reference", "fields", "reason", "created_at"),
                purpose="Nachweis, wer Kontaktdaten gesehen, exportiert oder geändert hat.",
                recipients="Verwaltung der Stelle und Datenschutzbeauftragte/r (nur lesend).",
                periods=("access_log",),
                order=90,
            )
        )
        record.register(
            record.Processing(
                key="data_export",
                title="Auskunft und Datenübertragbarkeit (Art. 15/20 DSGVO)",
                model="privacy.DataExport",
                fields=("email", "user", "file"),
                purpose="Kopie aller Daten einer Person als ZIP (JSON und Dateien), aus dem "
                "Bürgerkonto oder für Gäste nach Bestätigung per E-Mail-Link.",
                recipients="nur die Person selbst (angemeldet bzw. über ihren Link); "
                "Mitarbeitende sehen nur, dass eine Auskunft für eine Adresse angefordert wurde.",
                period_note="das Archiv wird 7 Tage nach dem Erstellen gelöscht, unbestätigte "
                "Anfragen 7 Tage nach der Anfrage; mit dem Konto sofort",
                order=85,
            )
        )
