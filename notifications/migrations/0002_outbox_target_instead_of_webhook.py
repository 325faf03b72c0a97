"""The outbox moves to its own app (outbox/), below notifications: its foreign key to
WebhookEndpoint becomes a generic target ("webhook", endpoint id). Schema, data, schema."""

from django.db import migrations, models


def copy_webhook_to_target(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    OutboxMessage.objects.filter(webhook__isnull=False).update(
        target_kind="webhook", target_id=models.F("webhook_id")
    )


def copy_target_to_webhook(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    WebhookEndpoint = apps.get_model("notifications", "WebhookEndpoint")
    existing = WebhookEndpoint.objects.values_list("pk", flat=True)
    OutboxMessage.objects.filter(target_kind="webhook", target_id__in=existing).update(
        webhook_id=models.F("target_id")
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_outbox_alerts_webhooks")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="target_kind",
            field=models.CharField(
                blank=True, default="", max_length=50, verbose_name="Ziel (Art)"
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="Ziel (ID)"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["target_kind", "target_id"], name="outbox_target"),
        ),
        migrations.RunPython(copy_webhook_to_target, copy_target_to_webhook),
        migrations.RemoveField(model_name="outboxmessage", name="webhook"),
    ]
