# The staff queue's newest-first walk (tracker.staff.queue_json) and the latest public note of a
# request (Open311 status_notes). Built CONCURRENTLY: on a county's table of a million reports
# a plain CREATE INDEX would block new reports and history entries meanwhile.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tracker", "0017_report_public_newest_map"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="report",
            index=models.Index(
                fields=["-created_at", "-id"],
                include=("location", "authority", "status"),
                name="report_staff_newest",
            ),
        ),
        AddIndexConcurrently(
            model_name="reportevent",
            index=models.Index(
                condition=models.Q(("is_public", True), models.Q(("note", ""), _negated=True)),
                fields=["report", "-created_at", "-id"],
                name="event_public_note_latest",
            ),
        ),
    ]
