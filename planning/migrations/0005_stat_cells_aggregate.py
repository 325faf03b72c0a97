"""The statistics' counts and duration histograms stored per authority and one or two filter
dimensions (`planning_stat_cells`, see _stat_cells_sql.py), refreshed with the facts view by
the same beat task, so the statistics of a whole Landkreis read some hundred rows instead of
every report."""

from django.db import migrations

from ._stat_cells_sql import CREATE, DROP, DROP_EDGES_FUNCTION, EDGES_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_bin_cells_aggregate")]

    operations = [
        migrations.RunSQL(EDGES_FUNCTION, DROP_EDGES_FUNCTION),
        migrations.RunSQL(CREATE, DROP),
    ]
