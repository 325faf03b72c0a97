"""Recreate the facts view with the report's month (local time) as a column: grouping by a
stored date is hashed in one pass, grouping by to_char(created_at) made PostgreSQL sort a
million rows on disk (1.8 s instead of 0.3 s at 1M reports)."""

from importlib import import_module

from django.db import migrations

from planning.migrations import _facts_sql

# reversing recreates version 1
PREVIOUS = import_module("planning.migrations.0001_report_facts_view").CREATE


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_report_facts_view")]

    operations = [
        migrations.RunSQL(
            [_facts_sql.DROP, _facts_sql.CREATE_V2],
            [_facts_sql.DROP, PREVIOUS],
        )
    ]
