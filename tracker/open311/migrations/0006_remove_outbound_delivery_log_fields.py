"""The sending state of an Open311 delivery lives in its outbox row now (see 0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("open311", "0005_outbound_delivery_log_to_outbox")]

    operations = [
        migrations.RemoveField(model_name="outbounddelivery", name=name)
        for name in (
            "status",
            "attempts",
            "response_status",
            "response_excerpt",
            "last_error",
            "next_attempt_at",
            "updated_at",
        )
    ]
