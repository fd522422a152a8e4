-- OUTSIDE_BOUNDARY (城镇开发边界外新增建设): what is new since the baseline (a new building's or a
-- change patch's permit-free footprint, or the added part of a grown building) minus the
-- development boundary.
-- Nothing is "matched": the finding is the absence of a boundary. Thresholds: $1 m², $2 share;
-- severity bands from $3 (general) and $4 (serious) m²; $5 overlay grid size. Rows of lw_finding
-- (appendFindings).
-- candidates is read twice and NOT MATERIALIZED: a materialized CTE is read in the leader only, and
-- the boundary search below it would stay out of the parallel workers.
WITH candidates AS NOT MATERIALIZED (
  SELECT sid, newpart, area_m2 FROM lw_subj WHERE newpart IS NOT NULL AND NOT ST_IsEmpty(newpart)
), inside AS (
  -- Most new parts lie wholly inside one boundary piece: they are covered, and nothing is unioned or
  -- subtracted for them (measured: 51,000 of 67,000 at 1M buildings).
  -- The pairs are a subquery of their own (OFFSET 0): its within tests and intersections are computed
  -- by the parallel workers that search the pieces. Flattened into the grouping, the intersection was
  -- an aggregate's argument, which only the leader evaluates.
  SELECT x.sid, bool_or(x.within) AS covered,
         ST_Union(x.part, $5::float8 ORDER BY x.feature_id, x.xmin, x.ymin) FILTER (WHERE NOT x.within) AS g
  FROM (SELECT c.sid, w.within, p.feature_id, ST_XMin(p.geom) AS xmin, ST_YMin(p.geom) AS ymin,
               CASE WHEN NOT w.within THEN ST_CollectionExtract(ST_Intersection(c.newpart, p.geom, $5::float8), 3) END AS part
        FROM candidates c
        JOIN lw_piece p ON p.kind = 'development_boundary' AND p.geom && c.newpart AND ST_Intersects(p.geom, c.newpart)
        CROSS JOIN LATERAL (SELECT ST_Within(c.newpart, p.geom) AS within) w
        OFFSET 0) x
  GROUP BY x.sid
), outside AS MATERIALIZED (
  -- MATERIALIZED (here and in measured): inlined, the difference and the ellipsoidal area would be
  -- computed again in every clause that names them (the planner repeats expressions, up to seven
  -- times a row here); each CTE's own plan still runs with parallel workers.
  SELECT c.sid, c.area_m2,
         CASE WHEN i.g IS NULL THEN c.newpart
              ELSE ST_Multi(ST_CollectionExtract(ST_Difference(c.newpart, i.g, $5::float8), 3)) END AS g
  FROM candidates c
  LEFT JOIN inside i ON i.sid = c.sid
  WHERE NOT coalesce(i.covered, false)
), measured AS MATERIALIZED (
  SELECT sid, area_m2, g, ST_Area(g::geography) AS m2 FROM outside WHERE NOT ST_IsEmpty(g)
)
SELECT m.sid, 'OUTSIDE_BOUNDARY' AS rule, 'none' AS matched_from, '{}'::bigint[] AS feature_ids, m.g, m.m2 AS overlap_m2,
       m.m2 / m.area_m2 AS share,
       CASE WHEN m.m2 >= $4::float8 THEN 'serious' WHEN m.m2 >= $3::float8 THEN 'general' ELSE 'light' END AS severity
FROM measured m
WHERE m.m2 > 0 AND m.m2 >= $1::float8 AND m.m2 / m.area_m2 >= $2::float8
