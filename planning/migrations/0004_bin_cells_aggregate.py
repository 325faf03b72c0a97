"""Heatmap bins pre-counted per grid cell (planning.density): the view
`planning_bin_cells`, refreshed right after the facts view by the same beat task. A bins
request for a whole Landkreis reads a few hundred rows instead of every report."""

from django.db import migrations

# Cell edges (metres, EPSG:25832) that are stored: every size of CELL_SIZES_M from 250 m up.
# The 250 m cells are counted once from the facts; each larger size from a smaller one it
# divides (the grids are nested), so every step is a small hash aggregate.
PARENTS = {500: 250, 1000: 500, 2000: 1000, 5000: 1000, 10000: 5000, 20000: 10000, 50000: 10000}

# Per cell and authority four groupings, told apart by `dim` (the value of
# GROUPING(category_id, status, month)): 7 = all reports, 3 = per category, 5 = per status,
# 6 = per month. Columns a row is not grouped by hold 0 / '' / 1900-01-01, so the unique
# index (which REFRESH ... CONCURRENTLY needs) covers every row.
FINEST = """
s250 AS (
    SELECT floor(f.x / 250)::int4 AS i, floor(f.y / 250)::int4 AS j,
           coalesce(f.authority_id, 0) AS authority_id,
           GROUPING(f.category_id, f.status, f.month)::int2 AS dim,
           coalesce(f.category_id, 0) AS category_id,
           coalesce(f.status, '')::varchar(20) COLLATE "C" AS status,
           coalesce(f.month, date '1900-01-01') AS month,
           count(*)::int8 AS n
    FROM planning_report_facts f
    GROUP BY 1, 2, 3, GROUPING SETS ((), (f.category_id), (f.status), (f.month))
)"""

COARSER = """
s{size} AS (
    SELECT floor(p.i / {factor}::float8)::int4 AS i, floor(p.j / {factor}::float8)::int4 AS j,
           p.authority_id, p.dim, p.category_id, p.status, p.month, sum(p.n)::int8 AS n
    FROM s{parent} p GROUP BY 1, 2, 3, 4, 5, 6, 7
)"""

SELECT_SIZE = """
SELECT {size}::int4 AS size_m, dim, i, j, authority_id, category_id, status, month, n
FROM s{size}"""

CREATE = """
CREATE MATERIALIZED VIEW planning_bin_cells AS
WITH {ctes}
{selects}
-- stored in index order: the rows of one request lie together
ORDER BY 1, 2, 3, 4
WITH DATA;
CREATE UNIQUE INDEX planning_bin_cells_key ON planning_bin_cells
    (size_m, dim, i, j, authority_id, category_id, status, month);
-- a request reads at most some thousand rows: a parallel worker costs more than it saves
ALTER MATERIALIZED VIEW planning_bin_cells SET (parallel_workers = 0);
""".format(
    ctes=",".join(
        [FINEST]
        + [
            COARSER.format(size=size, parent=parent, factor=size // parent)
            for size, parent in PARENTS.items()
        ]
    ),
    selects="\nUNION ALL".join(SELECT_SIZE.format(size=size) for size in (250, *PARENTS)),
)

DROP = "DROP MATERIALIZED VIEW IF EXISTS planning_bin_cells;"


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_report_facts_narrow")]

    operations = [migrations.RunSQL(CREATE, DROP)]
