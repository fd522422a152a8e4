-- Baseline matches, second pass: buildings in scope without an equal twin search the baseline
-- spatially for the best overlap / union (planar areas in degrees are fine for a ratio of areas a few
-- metres apart). A building that touches no baseline building gets no row. Rows of lw_match_spatial
-- (the pipeline appends them to lw_match).
-- $1 baseline building dataset ids, $2 overlay grid size, $3 the subject datasets (readScene): named
-- as a list so that only their partitions are read — joined on u.dataset_id alone, every partition of
-- subject (superseded versions and the baseline too) was scanned whole, 3M rows for an incremental
-- run's 10,000 buildings.
-- DISTINCT ON rather than a lateral ORDER BY … LIMIT 1 per building: PostgreSQL never runs a subquery
-- with a LIMIT in its parallel workers (measured at 1M buildings: the search, 6.3 s, stayed in the
-- leader). Here the workers search and measure; the leader keeps the best of each building.
SELECT DISTINCT ON (u.sid) u.sid, o.id AS bid, y.iou, o.area_m2 AS b_m2
FROM lw_scope u
JOIN subject s ON s.id = u.sid AND s.dataset_id = u.dataset_id AND s.dataset_id = ANY($3::bigint[])
JOIN subject o ON o.geom && s.geom AND o.dataset_id = ANY($1::bigint[]) AND ST_Intersects(o.geom, s.geom)
-- The ratio i / (a + b − i) written as 1 / ((a + b) / i − 1), which names the intersection i once: the
-- planner repeats a flattened expression wherever it is named, and as i / (a + b − i) behind a test
-- for zero the intersection was computed three times a pair. No intersection (i = 0) gives 0; a + b > i
-- always (i ≤ min(a, b)), so the second nullif only guards degenerate input.
CROSS JOIN LATERAL (SELECT ST_Area(ST_Intersection(s.geom, o.geom, $2::float8)) AS i, ST_Area(s.geom) + ST_Area(o.geom) AS ab) x
CROSS JOIN LATERAL (SELECT coalesce(1 / nullif(x.ab / nullif(x.i, 0) - 1, 0), 0) AS iou) y
WHERE u.kind = 'building' AND cardinality($1::bigint[]) > 0
  AND NOT EXISTS (SELECT 1 FROM lw_match e WHERE e.sid = u.sid)
ORDER BY u.sid, y.iou DESC, o.id
