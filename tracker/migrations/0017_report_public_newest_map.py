# The public map's newest-first covering index (tracker.map_geojson). Built CONCURRENTLY: on a
# county's table of a million reports a plain CREATE INDEX would block new reports meanwhile.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tracker", "0016_idempotency_key"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="report",
            index=models.Index(
                condition=models.Q(("confirmed_at__isnull", False)),
                fields=["-created_at", "-id"],
                include=("location", "status", "category"),
                name="report_public_newest",
            ),
        ),
    ]
