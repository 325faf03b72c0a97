from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "tracker.open311"
    label = "open311"
    verbose_name = _("Open311-Schnittstelle")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from outbox import registry
        from tracker.signals import report_reached_authority, reports_anonymising

        from . import outbound, signals
        from .models import OutboundDelivery, OutboundEndpoint

        registry.register(outbound.KIND, outbound.deliver)
        report_reached_authority.connect(
            signals.forward_new_report, dispatch_uid="open311.forward_new_report"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                outbound.forget_endpoints,
                sender=OutboundEndpoint,
                dispatch_uid=f"open311.forget_endpoints.{signal is post_save}",
            )
        reports_anonymising.connect(
            signals.erase_client_ids, dispatch_uid="open311.erase_client_ids"
        )
        post_delete.connect(
            signals.forget_delivery_log,
            sender=OutboundDelivery,
            dispatch_uid="open311.forget_delivery_log",
        )
