-- The constraint features of the datasets $1 (those stale-constraint-pieces.sql found without current
-- pieces) cut into pieces again (constraint_piece, migration 0011): their old pieces go, the new ones
-- come and the builds are recorded with the current version and the piece size, in this one statement
-- (its parts share one snapshot). Long edges are first cut every $3 degrees (ST_Segmentize), so that
-- a 10 km road becomes compact pieces too: one long thin box would match every building along it and
-- slow every index probe, and GEOS intersects long slivers slowly. $2 = maximum vertices per piece.
-- Pieces (and build records) of datasets no longer active are dropped. Answers how many datasets were
-- cut, and into how many pieces.
WITH cur AS (
  SELECT version FROM constraint_version
), stale AS (
  SELECT id FROM unnest($1::bigint[]) AS d(id)
), gone AS (
  DELETE FROM constraint_piece p
  WHERE p.dataset_id IN (SELECT id FROM stale)
     OR NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = p.dataset_id AND d.status = 'active')
  RETURNING 1
), forget AS (
  DELETE FROM constraint_piece_build b WHERE NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = b.dataset_id AND d.status = 'active')
  RETURNING 1
), ins AS (
  INSERT INTO constraint_piece (dataset_id, kind, feature_id, code, geom)
  SELECT f.dataset_id, f.kind, f.id, f.code, ST_Subdivide(ST_Segmentize(f.geom, $3::float8), $2::int)
  FROM constraint_feature f
  JOIN dataset d ON d.id = f.dataset_id AND d.kind = f.kind
  WHERE f.dataset_id IN (SELECT id FROM stale)
  RETURNING 1
), mark AS (
  INSERT INTO constraint_piece_build (dataset_id, version, max_vertices, segment_max)
  SELECT s.id, cur.version, $2::int, $3::float8 FROM stale s, cur
  ON CONFLICT (dataset_id) DO UPDATE SET version = EXCLUDED.version, max_vertices = EXCLUDED.max_vertices,
                                         segment_max = EXCLUDED.segment_max
  RETURNING 1
)
SELECT (SELECT count(*) FROM mark)::int AS n, (SELECT count(*) FROM ins)::int AS pieces
