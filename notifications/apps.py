from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from outbox.registry import Handler


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from accounts import sections
        from accounts.signals import account_erasing
        from outbox import registry
        from privacy import export

        from . import (  # noqa: F401
            catalogue_mail,
            emails,
            export_part,
            handlers,
            participation_mail,
            privacy_mail,
            receivers,
            tasks,
            waste_mail,
            webhooks,
        )
        from .models import WebhookEndpoint

        # The outbox delivers rows by kind: each kind of ours, and who delivers it. Services
        # queue the event kinds by name (outbox.enqueue_on_commit), never importing this app.
        for kind, handler in _handlers().items():
            registry.register(kind, handler)
        account_erasing.connect(
            receivers.erase_notifications, dispatch_uid="notifications.erase_notifications"
        )
        post_delete.connect(
            receivers.forget_webhook_deliveries,
            sender=WebhookEndpoint,
            dispatch_uid="notifications.forget_webhook_deliveries",
        )
        export.register_part(export_part.PART)
        # "Meine Anliegen" ends with the link to the area alerts.
        sections.register(
            sections.Section(
                key="alerts",
                template="notifications/account/alerts_link.html",
                context=lambda request, user: {},
                order=90,
            )
        )


def _handlers() -> "dict[str, Handler]":
    from outbox.models import OutboxMessage

    from . import (
        catalogue_mail,
        emails,
        handlers,
        participation_mail,
        privacy_mail,
        waste_mail,
        webhooks,
    )

    return {
        OutboxMessage.EMAIL: emails.send_email,
        OutboxMessage.WEBHOOK: webhooks.post,
        "notifications.report_received": handlers.received,
        "notifications.report_confirmed": handlers.confirmed,
        "notifications.report_updated": handlers.updated,
        "notifications.report_forwarded": handlers.forwarded,
        "notifications.application_received": catalogue_mail.application_received,
        "notifications.application_updated": catalogue_mail.application_updated,
        "notifications.application_message": catalogue_mail.application_message,
        "notifications.waste_subscription_confirm": waste_mail.subscription_confirm,
        "notifications.waste_reminder": waste_mail.reminder,
        "notifications.data_export_mail": privacy_mail.data_export_mail,
        "notifications.participation_confirm": participation_mail.statement_confirm,
        "notifications.participation_receipt": participation_mail.statement_receipt,
        "notifications.participation_result": participation_mail.result_published,
    }
