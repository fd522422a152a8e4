-- The districts as pieces (ST_Subdivide, at most $1 vertices each) for placing suspects: a village
-- boundary has hundreds of vertices, a county thousands; a building needs only the pieces around it.
-- rank orders the levels, most detailed first (village 5 … province 1).
WITH ins AS (
  INSERT INTO lw_district_piece (code, rank, geom)
  SELECT code,
         CASE level WHEN 'village' THEN 5 WHEN 'township' THEN 4 WHEN 'county' THEN 3 WHEN 'city' THEN 2 ELSE 1 END,
         ST_Subdivide(geom, $1::int)
  FROM district
  WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
