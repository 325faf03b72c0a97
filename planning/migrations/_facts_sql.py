"""SQL of the facts view (version 2), kept apart so the migration stays readable."""

DROP = "DROP MATERIALIZED VIEW IF EXISTS planning_report_facts;"

CREATE_V2 = """
CREATE MATERIALIZED VIEW planning_report_facts AS
SELECT r.id AS report_id,
       r.authority_id,
       r.category_id,
       r.status::varchar(20) AS status,
       r.priority,
       r.created_at,
       -- the month in the portal's time zone (settings.TIME_ZONE)
       date_trunc('month', r.created_at AT TIME ZONE 'Europe/Berlin')::date AS month,
       r.due_at,
       r.confirmed_at IS NOT NULL AS is_confirmed,
       r.road_id,
       coalesce(road.ref, '')::varchar(100) AS road_ref,
       -- "K12", "K 12" and "k 12" are the same road (as in tracker.selectors.staff_queue)
       upper(replace(coalesce(road.ref, ''), ' ', ''))::varchar(100) AS road_ref_key,
       coalesce(road.road_class, '')::varchar(1) AS road_class,
       extract(epoch FROM ev.acknowledged_at - r.created_at)::float8 AS ack_seconds,
       extract(epoch FROM ev.fixed_at - r.created_at)::float8 AS fix_seconds,
       ST_X(p.geom) AS x,
       ST_Y(p.geom) AS y
FROM tracker_report r
LEFT JOIN geo_roadsegment road ON road.id = r.road_id
LEFT JOIN (
    SELECT e.report_id,
           -- acknowledged: the first status change away from "new"
           min(e.created_at) FILTER (
               WHERE e.from_status = 'new' AND e.to_status NOT IN ('', 'new')
           ) AS acknowledged_at,
           -- fixed: the first time it reached "done"
           min(e.created_at) FILTER (WHERE e.to_status = 'done') AS fixed_at
    FROM tracker_reportevent e
    WHERE e.to_status <> ''
    GROUP BY e.report_id
) ev ON ev.report_id = r.id
CROSS JOIN LATERAL (SELECT ST_Transform(r.location, 25832) AS geom) p
WITH DATA;
CREATE UNIQUE INDEX planning_facts_report ON planning_report_facts (report_id);
CREATE INDEX planning_facts_authority ON planning_report_facts (authority_id, created_at);
CREATE INDEX planning_facts_road ON planning_report_facts (road_id) WHERE road_id IS NOT NULL;
-- Small viewports: a GiST index on the point built from x/y, so the row stays narrow (two
-- floats) and whole-region scans stay fast.
CREATE INDEX planning_facts_point ON planning_report_facts
    USING gist (ST_SetSRID(ST_MakePoint(x, y), 25832));
"""

# Version 3: the same facts, narrower rows (103 instead of 129 MB at 1M reports), so a
# whole-region scan reads less: fixed-width columns first, widest first (no alignment
# padding), int4 for the ids of authorities, categories and roads, no columns nobody reads
# (priority, confirmation).
CREATE_V3 = """
CREATE MATERIALIZED VIEW planning_report_facts AS
SELECT ST_X(p.geom) AS x,
       ST_Y(p.geom) AS y,
       r.created_at,
       r.due_at,
       extract(epoch FROM ev.acknowledged_at - r.created_at)::float8 AS ack_seconds,
       extract(epoch FROM ev.fixed_at - r.created_at)::float8 AS fix_seconds,
       r.id AS report_id,
       r.authority_id::int4 AS authority_id,
       r.category_id::int4 AS category_id,
       r.road_id::int4 AS road_id,
       -- the month in the portal's time zone (settings.TIME_ZONE)
       date_trunc('month', r.created_at AT TIME ZONE 'Europe/Berlin')::date AS month,
       r.status::varchar(20) AS status,
       coalesce(road.road_class, '')::varchar(1) AS road_class,
       -- "K12", "K 12" and "k 12" are the same road (as in tracker.selectors.staff_queue)
       upper(replace(coalesce(road.ref, ''), ' ', ''))::varchar(100) AS road_ref_key,
       coalesce(road.ref, '')::varchar(100) AS road_ref
FROM tracker_report r
LEFT JOIN geo_roadsegment road ON road.id = r.road_id
LEFT JOIN (
    SELECT e.report_id,
           -- acknowledged: the first status change away from "new"
           min(e.created_at) FILTER (
               WHERE e.from_status = 'new' AND e.to_status NOT IN ('', 'new')
           ) AS acknowledged_at,
           -- fixed: the first time it reached "done"
           min(e.created_at) FILTER (WHERE e.to_status = 'done') AS fixed_at
    FROM tracker_reportevent e
    WHERE e.to_status <> ''
    GROUP BY e.report_id
) ev ON ev.report_id = r.id
CROSS JOIN LATERAL (SELECT ST_Transform(r.location, 25832) AS geom) p
WITH DATA;
CREATE UNIQUE INDEX planning_facts_report ON planning_report_facts (report_id);
CREATE INDEX planning_facts_authority ON planning_report_facts (authority_id, created_at);
CREATE INDEX planning_facts_road ON planning_report_facts (road_id) WHERE road_id IS NOT NULL;
-- Small viewports: a GiST index on the point built from x/y, so the row stays narrow (two
-- floats) and whole-region scans stay fast.
CREATE INDEX planning_facts_point ON planning_report_facts
    USING gist (ST_SetSRID(ST_MakePoint(x, y), 25832));
"""
