from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "tracker.inspections"
    label = "inspections"
    verbose_name = _("Streckenkontrolle")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tracker import history_sql
        from tracker.models import ReportEvent

        from . import (
            ledger,
            tasks,  # noqa: F401 (registers the sealer, published by name)
            tiles,
        )
        from .models import InspectionEvent, InspectionPlan, SegmentInspection

        # Every history row of a report and of an inspection round gets its ledger entry
        # inside the transaction that writes it; the sealer chains it after the commit.
        for model in (ReportEvent, InspectionEvent):
            post_save.connect(
                ledger.chain_new_row,
                sender=model,
                dispatch_uid=f"inspections.chain.{model.__name__}",
            )
        # ... and the "created" row that intake writes with its report in one SQL statement.
        history_sql.register("inspections.ledger", ledger.report_event_part)
        # The road status tiles change with a plan and with removed inspections (rounds
        # ending bump the version in services.round_end).
        for signal, sender in (
            (post_save, InspectionPlan),
            (post_delete, InspectionPlan),
            (post_delete, SegmentInspection),
        ):
            signal.connect(
                tiles.version_changed,
                sender=sender,
                dispatch_uid=f"inspections.tiles.{signal is post_save}.{sender.__name__}",
            )
