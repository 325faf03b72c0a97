from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Ausgang (Outbox)")

    def ready(self) -> None:
        # Registers the delivery task in every process (publish looks it up by name).
        from . import tasks  # noqa: F401
