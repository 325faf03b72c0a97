# The staff queue's newest-first walk and its count by viewport (tracker.staff.queue_json), and
# the latest public note of a request (Open311 status_notes). Built CONCURRENTLY: on a county's
# table of a million reports a plain CREATE INDEX would block new reports meanwhile.
#
# report_staff_area is a GiST index on the location as a plain `point`, whose operator class
# can return its keys (PostGIS's geometry GiST cannot): with location, authority and status
# included, counting the reports in a viewport is an index-only scan. It is an expression index
# that Django's Meta.indexes does not describe well, hence SQL.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tracker", "0017_report_public_newest_map"),
    ]

    operations = [
        migrations.RunSQL(
            sql="""CREATE INDEX CONCURRENTLY IF NOT EXISTS report_staff_area
                   ON tracker_report USING gist (point(ST_X(location), ST_Y(location)))
                   INCLUDE (location, authority_id, status)""",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS report_staff_area",
        ),
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
