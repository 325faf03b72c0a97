"""Expression indexes on geom::geography, so metric ST_DWithin on roads and assets is indexed.

The queries in geo.snap use exactly `geom::geography`; the planner only uses an expression
index when the query repeats the indexed expression.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_roads_and_assets")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX geo_roadsegment_geog_idx ON geo_roadsegment USING gist ((geom::geography))",
            "DROP INDEX geo_roadsegment_geog_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX geo_asset_geog_idx ON geo_asset USING gist ((geom::geography))",
            "DROP INDEX geo_asset_geog_idx",
        ),
    ]
