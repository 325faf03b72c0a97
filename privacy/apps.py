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
        from . import access, retention

        retention.register_job("access_log", access.purge_expired)
