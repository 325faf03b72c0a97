"""The base map's data version (boundaries.basemap): one row whose number changes, inside the
writing transaction, whenever roads, assets, boundaries, boundary sets or authorities change,
whatever wrote them (ORM, bulk import, raw SQL, admin). Numbers come from a sequence so they
never repeat, not even after a rollback; `token` is random per database, so a recreated
database never meets tiles cached for an older one."""

from typing import Any

from django.db import migrations

TABLES = [
    "geo_roadsegment",
    "geo_asset",
    "boundaries_boundary",
    "boundaries_boundaryset",
    "boundaries_authority",
]

FORWARD: list[Any] = [
    "CREATE SEQUENCE boundaries_basemapversion_seq",
    """CREATE TABLE boundaries_basemapversion (
           id integer PRIMARY KEY CHECK (id = 1),
           token text NOT NULL,
           n bigint NOT NULL)""",
    """INSERT INTO boundaries_basemapversion (id, token, n)
       VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 10),
               nextval('boundaries_basemapversion_seq'))""",
    """CREATE FUNCTION boundaries_basemap_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           UPDATE boundaries_basemapversion
           SET n = nextval('boundaries_basemapversion_seq') WHERE id = 1;
           RETURN NULL;
       END $$""",
] + [
    f"""CREATE TRIGGER {table}_basemap_changed
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION boundaries_basemap_changed()"""
    for table in TABLES
]

BACKWARD: list[Any] = [
    f"DROP TRIGGER IF EXISTS {table}_basemap_changed ON {table}" for table in TABLES
] + [
    "DROP FUNCTION IF EXISTS boundaries_basemap_changed()",
    "DROP TABLE IF EXISTS boundaries_basemapversion",
    "DROP SEQUENCE IF EXISTS boundaries_basemapversion_seq",
]


class Migration(migrations.Migration):
    dependencies = [
        ("boundaries", "0001_authorities_and_boundaries"),
        ("geo", "0002_geography_indexes"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
