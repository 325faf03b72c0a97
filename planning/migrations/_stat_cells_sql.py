"""SQL of the statistics' stored aggregate `planning_stat_cells` (planning.stat_cells reads
it; docs/planning.md, "Stored statistics").

One row per authority and per value combination of one or two of the filter dimensions
category, status, month, road class and road ref (the grouping sets below, told apart by
`dim` = GROUPING(category_id, status, month, road_class, road_ref_key): a set bit means
"not grouped by that column", which then holds 0 / '' / 1900-01-01). Each row holds the
counts (all, open, overdue open) and, where a request needs them, histograms of the
seconds to acknowledge and to fix: four parallel arrays per histogram — bucket numbers
(width_bucket over planning_duration_edges()), counts, and the smallest and the largest
seconds in the bucket — only for the buckets that hold a report.
"""

# tracker.statuses.OPEN_STATUSES when this was written (a migration is frozen; the tests
# compare these counts with the live query, which reads OPEN_STATUSES).
OPEN_STATUSES = ("new", "in_review", "planned", "in_progress", "forwarded")

# Bucket edges in seconds: 0; 60 s * 1.01^g (1 % wide, up to 15 years); and every edge at
# which the statistics page's rounding changes ("x,y Std." below a day, "x,y Tage" from a
# day on: (k + 0.5) * 360 s, 86,400 s, (k + 0.5) * 8,640 s up to 1,000 days), so every
# value of a bucket is displayed the same. IMMUTABLE: folded into a constant once per query.
EDGES_FUNCTION = """
CREATE FUNCTION planning_duration_edges() RETURNS float8[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(e ORDER BY e) FROM (
        SELECT 0::float8 AS e
        UNION SELECT 60 * power(1.01::float8, g) FROM generate_series(0, 1600) g
        UNION SELECT (k + 0.5) * 360 FROM generate_series(0, 239) k
        UNION SELECT 86400::float8
        UNION SELECT (k + 0.5) * 8640 FROM generate_series(10, 9999) k
    ) edges
$$;
"""

DROP_EDGES_FUNCTION = "DROP FUNCTION IF EXISTS planning_duration_edges();"

KEYS = "category_id, status, month, road_class, road_ref_key"

# The grouping sets (besides the authority, which every row has): none, each dimension
# alone, and every pair — a request with at most one filter dimension reads its counts per
# authority, category, status, month and road ref from them.
DIMENSIONS = ("category_id", "status", "month", "road_class", "road_ref_key")
COUNT_SETS: list[tuple[str, ...]] = [(), *((d,) for d in DIMENSIONS)]
COUNT_SETS += [(a, b) for i, a in enumerate(DIMENSIONS) for b in DIMENSIONS[i + 1 :]]
# Time to acknowledge: totals (none, or one dimension). Time to fix: also per road ref.
ACK_SETS: list[tuple[str, ...]] = [(), *((d,) for d in DIMENSIONS)]
FIX_SETS = ACK_SETS + [(d, "road_ref_key") for d in DIMENSIONS if d != "road_ref_key"]


def _sets(sets: list[tuple[str, ...]]) -> str:
    return ", ".join("(" + ", ".join(s) + ")" for s in sets)


# Ungrouped columns are NULL in a grouping set: filled in, so the unique index (which
# REFRESH ... CONCURRENTLY needs) and the joins cover every row.
KEY_COLUMNS = """
           GROUPING(category_id, status, month, road_class, road_ref_key)::int2 AS dim,
           authority_id,
           coalesce(category_id, 0) AS category_id,
           coalesce(status, '')::varchar(20) COLLATE "C" AS status,
           coalesce(month, date '1900-01-01') AS month,
           coalesce(road_class, '')::varchar(1) COLLATE "C" AS road_class,
           coalesce(road_ref_key, '')::varchar(100) COLLATE "C" AS road_ref_key"""

# Each histogram: the facts counted per finest combination and bucket first (one hash
# aggregate with few columns), then the grouping sets over those far fewer rows.
HISTOGRAM = """
{name}_fine AS (
    SELECT authority_id, {keys}, {name}_b AS b, count(*)::int4 AS n,
           min({name}_seconds) AS lo, max({name}_seconds) AS hi
    FROM base WHERE {name}_b IS NOT NULL
    GROUP BY authority_id, {keys}, {name}_b
), {name} AS (
    SELECT dim, authority_id, {keys},
           array_agg(b ORDER BY b) AS {name}_b, array_agg(n ORDER BY b) AS {name}_n,
           array_agg(lo ORDER BY b) AS {name}_lo, array_agg(hi ORDER BY b) AS {name}_hi
    FROM (
        SELECT {key_columns}, b::int2 AS b, sum(n)::int4 AS n, min(lo) AS lo, max(hi) AS hi
        FROM {name}_fine
        GROUP BY authority_id, b, GROUPING SETS ({sets})
    ) h
    GROUP BY dim, authority_id, {keys}
)"""

CREATE = f"""
CREATE MATERIALIZED VIEW planning_stat_cells AS
WITH base AS NOT MATERIALIZED (
    SELECT coalesce(f.authority_id, 0) AS authority_id, f.category_id, f.status, f.month,
           f.road_class, f.road_ref_key, f.road_ref,
           f.status IN ({", ".join(f"'{s}'" for s in OPEN_STATUSES)}) AS is_open,
           f.due_at < now() AS is_due,
           f.ack_seconds, f.fix_seconds,
           width_bucket(f.ack_seconds, planning_duration_edges()) AS ack_b,
           width_bucket(f.fix_seconds, planning_duration_edges()) AS fix_b
    FROM planning_report_facts f
), fine AS (
    -- the counts per finest combination first: the grouping sets then read few rows
    SELECT authority_id, {KEYS}, min(road_ref) AS road_ref, count(*)::int8 AS n,
           count(*) FILTER (WHERE is_open)::int8 AS n_open,
           count(*) FILTER (WHERE is_open AND is_due)::int8 AS n_overdue
    FROM base
    GROUP BY authority_id, {KEYS}
), counted AS (
    SELECT {KEY_COLUMNS},
           -- the road ref as written (one of the spellings), for the road table
           CASE WHEN GROUPING(road_ref_key) = 0 THEN coalesce(min(road_ref), '') ELSE '' END
               ::varchar(100) AS road_ref,
           sum(n)::int8 AS n, sum(n_open)::int8 AS n_open, sum(n_overdue)::int8 AS n_overdue
    FROM fine
    GROUP BY authority_id, GROUPING SETS ({_sets(COUNT_SETS)})
), {HISTOGRAM.format(name="ack", keys=KEYS, key_columns=KEY_COLUMNS, sets=_sets(ACK_SETS))},
{HISTOGRAM.format(name="fix", keys=KEYS, key_columns=KEY_COLUMNS, sets=_sets(FIX_SETS))}
SELECT c.*, ack.ack_b, ack.ack_n, ack.ack_lo, ack.ack_hi,
       fix.fix_b, fix.fix_n, fix.fix_lo, fix.fix_hi
FROM counted c
LEFT JOIN ack USING (dim, authority_id, {KEYS})
LEFT JOIN fix USING (dim, authority_id, {KEYS})
-- stored in index order: the rows of one request lie together
ORDER BY c.dim, c.authority_id
WITH DATA;
CREATE UNIQUE INDEX planning_stat_cells_key ON planning_stat_cells (dim, authority_id, {KEYS});
-- a request reads some hundred rows: a parallel worker costs more than it saves
ALTER MATERIALIZED VIEW planning_stat_cells SET (parallel_workers = 0);
"""  # noqa: S608 - constants only

DROP = "DROP MATERIALIZED VIEW IF EXISTS planning_stat_cells;"
