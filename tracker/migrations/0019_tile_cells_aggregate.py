"""Report counts per map cell for the vector tiles (tracker.tiles): one materialised view,
refreshed by beat (tracker.refresh_tile_cells), so a tile of a busy area reads at most its
64 x 64 cells instead of every report in it."""

from django.db import migrations

# Cells of zoom z are 1/64 of a tile's edge in EPSG:3857 metres: WORLD / 2**(z + 6). The
# finest level (14, 38.2 m) is counted from the reports, the coarser ones from it: the
# grids are nested, so an arithmetic shift of the cell index is the floor division.
CREATE = """
CREATE MATERIALIZED VIEW tracker_tile_cells AS
WITH finest AS (
    SELECT floor(ST_X(p.geom) / (40075016.685578488 / 1048576))::int4 AS i,
           floor(ST_Y(p.geom) / (40075016.685578488 / 1048576))::int4 AS j,
           count(*)::int4 AS n
    FROM tracker_report r
    CROSS JOIN LATERAL (SELECT ST_Transform(r.location, 3857) AS geom) p
    WHERE r.confirmed_at IS NOT NULL
    GROUP BY 1, 2
)
SELECT z::int2 AS z, (f.i >> (14 - z)) AS i, (f.j >> (14 - z)) AS j, sum(f.n)::int4 AS n
FROM finest f CROSS JOIN generate_series(0, 14) AS z
GROUP BY 1, 2, 3
-- stored in index order: a tile's cells lie in a few pages, not scattered over the heap
ORDER BY 1, 2, 3
WITH DATA;
CREATE UNIQUE INDEX tracker_tile_cells_key ON tracker_tile_cells (z, i, j);
-- a tile reads a few thousand rows: starting a parallel worker costs more than it saves
ALTER MATERIALIZED VIEW tracker_tile_cells SET (parallel_workers = 0);
"""

DROP = "DROP MATERIALIZED VIEW IF EXISTS tracker_tile_cells;"


class Migration(migrations.Migration):
    dependencies = [("tracker", "0018_queue_open311_qmap")]

    operations = [migrations.RunSQL(CREATE, DROP)]
