# The redaction backlog's index (/healthz for staff and monitoring, tracker.selectors.
# redaction_backlog). Built CONCURRENTLY: a county's photo table keeps taking new photos
# meanwhile.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tracker", "0019_tile_cells_aggregate"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="photo",
            index=models.Index(
                condition=models.Q(("redacted_at__isnull", True)),
                fields=["created_at"],
                name="photo_unredacted",
            ),
        ),
    ]
