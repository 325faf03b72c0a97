from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self) -> None:
        # Registers the outbox handlers (emails, webhooks, event fan-outs) in every process.
        from . import receivers, tasks  # noqa: F401
