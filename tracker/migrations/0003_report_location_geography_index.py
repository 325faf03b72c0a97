"""Expression index on location::geography for metric radius queries (duplicates, alerts)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_add_reports")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX tracker_report_location_geog_idx "
            "ON tracker_report USING gist ((location::geography))",
            "DROP INDEX tracker_report_location_geog_idx",
        ),
    ]
