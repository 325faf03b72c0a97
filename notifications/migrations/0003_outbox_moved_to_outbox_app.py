"""The outbox model now belongs to the outbox app (same table, see outbox 0001); the webhook
delivery log stays here as a proxy of it. State only."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    # Admin log entries and permissions follow the model to its new app label.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="outbox", model="outboxmessage").exists():
        ContentType.objects.filter(app_label="notifications", model="outboxmessage").update(
            app_label="outbox"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="notifications", model="outboxmessage").exists():
        ContentType.objects.filter(app_label="outbox", model="outboxmessage").update(
            app_label="notifications"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0002_outbox_target_instead_of_webhook"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="OutboxMessage"),
                migrations.CreateModel(
                    name="WebhookDelivery",
                    fields=[],
                    options={
                        "verbose_name": "Webhook-Zustellung",
                        "verbose_name_plural": "Webhook-Zustellungen",
                        "proxy": True,
                        "indexes": [],
                        "constraints": [],
                    },
                    bases=("outbox.outboxmessage",),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
