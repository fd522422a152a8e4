-- Baseline matches, second pass: buildings in scope without an equal twin search the baseline
-- spatially for the best overlap / union (planar areas in degrees are fine for a ratio of areas a few
-- metres apart). A building that touches no baseline building gets no row.
-- $1 baseline building dataset ids, $2 overlay grid size, $3 the subject datasets (readScene): named
-- as a list so that only their partitions are read — joined on u.dataset_id alone, every partition of
-- subject (superseded versions and the baseline too) was scanned whole, 3M rows for an incremental
-- run's 10,000 buildings.
WITH ins AS (
  INSERT INTO lw_match (sid, bid, iou, b_m2)
  SELECT u.sid, m.bid, m.iou, m.b_m2
  FROM lw_scope u
  JOIN subject s ON s.id = u.sid AND s.dataset_id = u.dataset_id AND s.dataset_id = ANY($3::bigint[])
  CROSS JOIN LATERAL (
    SELECT o.id AS bid, o.area_m2 AS b_m2,
           (SELECT CASE WHEN x.a + x.bb - x.i > 0 THEN x.i / (x.a + x.bb - x.i) ELSE 0 END
            FROM (SELECT ST_Area(ST_Intersection(s.geom, o.geom, $2::float8)) AS i, ST_Area(s.geom) AS a, ST_Area(o.geom) AS bb) x) AS iou
    FROM subject o
    WHERE o.geom && s.geom AND o.dataset_id = ANY($1::bigint[]) AND ST_Intersects(o.geom, s.geom)
    ORDER BY iou DESC, o.id
    LIMIT 1
  ) m
  WHERE u.kind = 'building' AND cardinality($1::bigint[]) > 0
    AND NOT EXISTS (SELECT 1 FROM lw_match e WHERE e.sid = u.sid)
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
