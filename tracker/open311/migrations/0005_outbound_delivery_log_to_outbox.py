"""Open311 forwarding goes through the one outbox: each delivery's sending state (status,
attempts, errors, the receiver's answer) becomes an outbox row. Data only; the columns go in
0006."""

from django.db import migrations
from django.utils import timezone

KIND = "open311.deliver_report"
TARGET = "open311.delivery"
STATUS = {"pending": "pending", "retrying": "pending", "sent": "sent", "failed": "failed"}


def to_outbox(apps, schema_editor):
    OutboundDelivery = apps.get_model("open311", "OutboundDelivery")
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    now = timezone.now()
    rows = [
        OutboxMessage(
            kind=KIND,
            # the key outbox.enqueue_on_commit(KIND, delivery.pk) gives
            idempotency_key=f"{KIND}:[{d.pk}]",
            payload={"args": [d.pk]},
            status=STATUS.get(d.status, "pending"),
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at or now,
            last_error=d.last_error,
            sent_at=d.sent_at,
            target_kind=TARGET,
            target_id=d.pk,
            response_status=d.response_status,
            response_excerpt=d.response_excerpt,
        )
        for d in OutboundDelivery.objects.order_by("pk").iterator()
    ]
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


def from_outbox(apps, schema_editor):
    OutboundDelivery = apps.get_model("open311", "OutboundDelivery")
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    back = {"pending": "retrying", "sent": "sent", "failed": "failed", "cancelled": "failed"}
    for message in OutboxMessage.objects.filter(target_kind=TARGET).iterator():
        status = back[message.status]
        if status == "retrying" and message.attempts == 0:
            status = "pending"
        OutboundDelivery.objects.filter(pk=message.target_id).update(
            status=status,
            attempts=message.attempts,
            last_error=message.last_error,
            response_status=message.response_status,
            response_excerpt=message.response_excerpt,
            next_attempt_at=message.next_attempt_at if status == "retrying" else None,
        )
    OutboxMessage.objects.filter(target_kind=TARGET).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0004_apikey_trusted"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_outbox, from_outbox)]
