-- An incremental run evaluates (1) subjects of new layer versions that are not unchanged copies of a
-- subject the previous run saw, and (2) every subject whose footprint touches a changed area.
-- Everything else keeps the result of the previous run, which is what a full run would compute.
-- $1 = the subject datasets (readScene): only their partitions' indexes are probed.
WITH fresh AS (
  SELECT u.*
  FROM lw_universe u JOIN lw_changed_ds d ON d.id = u.dataset_id AND d.appeared
  WHERE NOT EXISTS (SELECT 1 FROM lw_twin t WHERE t.what = 'subject' AND t.new_id = u.sid)
), touched AS (
  SELECT u.*
  FROM lw_changed c
  JOIN subject s ON s.geom && c.geom AND s.dataset_id = ANY($1::bigint[]) AND ST_Intersects(s.geom, c.geom)
  JOIN lw_universe u ON u.sid = s.id
), ins AS (
  -- With their universe columns (lw_scope); UNION drops a subject found both ways.
  INSERT INTO lw_scope
  SELECT * FROM fresh UNION SELECT * FROM touched
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
