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
        from . import access, record, retention

        retention.register_job("access_log", access.purge_expired)
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
