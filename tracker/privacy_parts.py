"""What the tracker contributes to privacy (registered in TrackerConfig.ready): its retention
jobs and the reports as a kind of record that staff can put under a legal hold."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy import holds, retention

from .models import Report
from .selectors import report_id_from_reference
from .services import retention as report_retention


def resolve_report(reference: str) -> holds.Target | None:
    pk = report_id_from_reference(reference)
    report = Report.objects.filter(pk=pk).first() if pk is not None else None
    if report is None:
        return None
    return holds.Target(report.pk, report.authority_id, report.reference)


def register() -> None:
    retention.register_job("report_contact", report_retention.erase_contact_due)
    retention.register_job("report_anonymise", report_retention.anonymise_due)
    holds.register_kind(holds.HoldKind(report_retention.HOLD_KIND, _("Meldung"), resolve_report))
