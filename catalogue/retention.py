"""The catalogue's retention jobs (registered with privacy.retention in CatalogueConfig.ready):
postbox messages of a closed application go after one period, the application is anonymised
after another (the authority's period, else the portal's). "Closed" is the latest change to
done or rejected. Applications under a legal hold are never touched."""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateTimeField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import holds, record, retention
from privacy.models import RecordType

from .models import Application, ApplicationEvent, ApplicationStatus, Attachment, Message

CLOSED_STATUSES = (ApplicationStatus.DONE, ApplicationStatus.REJECTED)
HOLD_KIND = "application"


def due_applications(record_type: str, now: datetime) -> QuerySet[Application]:
    last_close = (
        ApplicationEvent.objects.filter(
            application_id=OuterRef("pk"), to_status__in=CLOSED_STATUSES
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        Application.objects.filter(status__in=CLOSED_STATUSES)
        .annotate(
            closed_at=Coalesce(Subquery(last_close, output_field=DateTimeField()), F("updated_at"))
        )
        .filter(retention.due_q(record_type, now, since="closed_at"))
        .exclude(pk__in=retention.held_ids(HOLD_KIND))
    )


def _delete_attachments(attachments: QuerySet[Attachment]) -> None:
    names = [name for name in attachments.values_list("file", flat=True) if name]
    attachments.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def delete_messages(application_ids: list[int]) -> int:
    """Postbox messages (and the documents sent with them) of these applications."""
    with transaction.atomic():
        messages = Message.objects.filter(application_id__in=application_ids)
        _delete_attachments(Attachment.objects.filter(message__in=messages))
        return messages.delete()[1].get("catalogue.Message", 0)


def anonymise_applications(application_ids: list[int]) -> int:
    """The applicant, the form data, the address, documents, messages and history texts go;
    service, authority, status, fee and dates stay (the authority's statistics)."""
    with transaction.atomic():
        delete_messages(application_ids)
        _delete_attachments(Attachment.objects.filter(application_id__in=application_ids))
        ApplicationEvent.objects.filter(application_id__in=application_ids).exclude(note="").update(
            note=""
        )
        return Application.objects.filter(pk__in=application_ids).update(
            applicant=None, data={}, address="", location=None, anonymised_at=timezone.now()
        )


def delete_messages_due(now: datetime, batch_size: int) -> dict[str, int]:
    due = due_applications(RecordType.MESSAGE, now).filter(messages__isnull=False).distinct()
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    return {"messages_deleted": sum(delete_messages(b) for b in retention.batches(ids, batch_size))}


def anonymise_due(now: datetime, batch_size: int) -> dict[str, int]:
    due = due_applications(RecordType.APPLICATION, now).filter(anonymised_at__isnull=True)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    return {
        "applications_anonymised": sum(
            anonymise_applications(b) for b in retention.batches(ids, batch_size)
        )
    }


def resolve_application(reference: str) -> holds.Target | None:
    application = Application.objects.filter(reference__iexact=reference).first()
    if application is None:
        return None
    return holds.Target(application.pk, application.authority_id, application.reference)


# The catalogue's entries in the record of processing activities (docs/privacy.md).
RECORD = (
    record.Processing(
        key="application",
        title="Online-Anträge",
        model="catalogue.Application",
        fields=("applicant", "address", "location", "data"),
        purpose="Bearbeitung des Antrags durch die zuständige Stelle.",
        recipients=(
            "die zuständige Stelle (wo sie es eingerichtet hat, über FIT-Connect verschlüsselt an "
            "ihr Fachverfahren); Zahlungsdienstleister (Betrag, Rechnungsnummer)."
        ),
        periods=("application",),
        order=30,
    ),
    record.Processing(
        key="application_messages",
        title="Postfachnachrichten und Anlagen",
        model="catalogue.Message",
        fields=("sender", "body"),
        purpose="Schriftverkehr zum Antrag; Anlagen (catalogue.Attachment) ohne Metadaten.",
        recipients="die zuständige Stelle und die antragstellende Person.",
        periods=("message", "application"),
        order=31,
    ),
)


def register() -> None:
    retention.register_job("application_messages", delete_messages_due)
    retention.register_job("application_anonymise", anonymise_due)
    holds.register_kind(holds.HoldKind(HOLD_KIND, _("Antrag"), resolve_application))
    for activity in RECORD:
        record.register(activity)
