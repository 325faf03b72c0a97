"""The outbox table moves here from the notifications app: state only, the table
(notifications_outboxmessage) and its rows stay where they are."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # The table is created (or, on an existing database, was created) by notifications.
    dependencies = [("notifications", "0002_outbox_target_instead_of_webhook")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(db_index=True, max_length=100, verbose_name="Art"),
                        ),
                        ("payload", models.JSONField(default=dict, verbose_name="Inhalt")),
                        (
                            "idempotency_key",
                            models.CharField(
                                max_length=255, unique=True, verbose_name="Idempotenzschlüssel"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "ausstehend"),
                                    ("sent", "gesendet"),
                                    ("failed", "endgültig fehlgeschlagen"),
                                    ("cancelled", "verworfen"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="Status",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveIntegerField(default=0, verbose_name="Versuche"),
                        ),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="nächster Versuch"
                            ),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="letzter Fehler")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="angelegt am"),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="gesendet am"),
                        ),
                        (
                            "target_kind",
                            models.CharField(
                                blank=True, default="", max_length=50, verbose_name="Ziel (Art)"
                            ),
                        ),
                        (
                            "target_id",
                            models.PositiveBigIntegerField(
                                blank=True, null=True, verbose_name="Ziel (ID)"
                            ),
                        ),
                        (
                            "response_status",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="HTTP-Status"
                            ),
                        ),
                        (
                            "response_excerpt",
                            models.TextField(blank=True, verbose_name="Antwort (Auszug)"),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="children",
                                to="outbox.outboxmessage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Benachrichtigung (Outbox)",
                        "verbose_name_plural": "Benachrichtigungen (Outbox)",
                        "db_table": "notifications_outboxmessage",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status", "pending")),
                                fields=["next_attempt_at"],
                                name="outbox_pending_due",
                            ),
                            models.Index(fields=["target_kind", "target_id"], name="outbox_target"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
