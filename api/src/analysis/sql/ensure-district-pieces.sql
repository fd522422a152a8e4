-- The districts as pieces (ST_Subdivide, at most $1 vertices each) for placing suspects: a village
-- boundary has hundreds of vertices, a county thousands; a building needs only the pieces around it.
-- rank orders the levels, most detailed first (village 5 … province 1). The pieces are kept between
-- runs (migration 0009) and cut again only when the districts changed since, or the piece size did:
-- then the old pieces go, the new ones come and the build is recorded, in this one statement (its
-- parts share one snapshot, so the DELETE does not see the new rows; data-modifying parts run whether
-- or not the final SELECT reads them). Answers the pieces now held and whether they were cut now.
WITH cur AS (
  SELECT version FROM district_version
), fresh AS (
  SELECT EXISTS (SELECT 1 FROM district_piece_build b JOIN cur ON b.version = cur.version WHERE b.max_vertices = $1::int) AS ok
), gone AS (
  DELETE FROM district_piece WHERE NOT (SELECT ok FROM fresh)
  RETURNING 1
), ins AS (
  INSERT INTO district_piece (code, rank, geom)
  SELECT code,
         CASE level WHEN 'village' THEN 5 WHEN 'township' THEN 4 WHEN 'county' THEN 3 WHEN 'city' THEN 2 ELSE 1 END,
         ST_Subdivide(geom, $1::int)
  FROM district
  WHERE NOT (SELECT ok FROM fresh) AND geom IS NOT NULL AND NOT ST_IsEmpty(geom)
  RETURNING 1
), mark AS (
  INSERT INTO district_piece_build (id, version, max_vertices)
  SELECT true, cur.version, $1::int FROM cur WHERE NOT (SELECT ok FROM fresh)
  ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, max_vertices = EXCLUDED.max_vertices
  RETURNING 1
)
SELECT CASE WHEN (SELECT ok FROM fresh) THEN (SELECT count(*) FROM district_piece) ELSE (SELECT count(*) FROM ins) END::int AS n,
       NOT (SELECT ok FROM fresh) AS rebuilt
