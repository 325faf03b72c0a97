from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "tracker.open311"
    label = "open311"
    verbose_name = _("Open311-Schnittstelle")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tracker.models import ReportEvent
        from tracker.services import account_erasing

        from . import signals

        post_save.connect(
            signals.forward_new_report,
            sender=ReportEvent,
            dispatch_uid="open311.forward_new_report",
        )
        from . import outbound
        from .models import OutboundEndpoint

        for signal in (post_save, post_delete):
            signal.connect(
                outbound.forget_endpoints,
                sender=OutboundEndpoint,
                dispatch_uid=f"open311.forget_endpoints.{signal is post_save}",
            )
        account_erasing.connect(signals.erase_client_ids, dispatch_uid="open311.erase_client_ids")
