# The staff queue's newest-first walk and its count by viewport (tracker.staff.queue_json), and
# the latest public note of a request (Open311 status_notes). Built CONCURRENTLY: on a county's
# table of a million reports a plain CREATE INDEX would block new reports meanwhile. IF NOT
# EXISTS: the 1M bench database got the same indexes before this migration ran there.
#
# report_staff_area is a GiST index on the location as a plain `point`, whose operator class
# can return its keys (PostGIS's geometry GiST cannot): with location, authority and status
# included, counting the reports in a viewport is an index-only scan. It is an expression index
# that Django's Meta.indexes does not describe well, hence SQL only.

from django.db import migrations, models

STAFF_NEWEST = models.Index(
    fields=["-created_at", "-id"],
    include=("location", "authority", "status"),
    name="report_staff_newest",
)
PUBLIC_NOTE = models.Index(
    condition=models.Q(("is_public", True), models.Q(("note", ""), _negated=True)),
    fields=["report", "-created_at", "-id"],
    name="event_public_note_latest",
)


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
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql="""CREATE INDEX CONCURRENTLY IF NOT EXISTS report_staff_newest
                           ON tracker_report (created_at DESC, id DESC)
                           INCLUDE (location, authority_id, status)""",
                    reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS report_staff_newest",
                ),
                migrations.RunSQL(
                    sql="""CREATE INDEX CONCURRENTLY IF NOT EXISTS event_public_note_latest
                           ON tracker_reportevent (report_id, created_at DESC, id DESC)
                           WHERE (is_public AND NOT (note = ''))""",
                    reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS event_public_note_latest",
                ),
            ],
            state_operations=[
                migrations.AddIndex(model_name="report", index=STAFF_NEWEST),
                migrations.AddIndex(model_name="reportevent", index=PUBLIC_NOTE),
            ],
        ),
    ]
