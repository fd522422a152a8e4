-- Pieces of the active constraint features of the kinds the enabled rules need ($1), near some
-- subject in scope ($5 = true: every feature, as in a full run). Planning zones keep only uses that
-- forbid building ($2, matched by prefix) and cultivated land only the cultivated codes ($3, by
-- prefix). Long edges are first cut every $6 degrees (ST_Segmentize), so that a 10 km road becomes
-- compact pieces too: one long thin box would match every building along it and slow every index
-- probe, and GEOS intersects long slivers slowly. $4 = maximum vertices per piece. $7 = the active
-- datasets of the kinds in $1 (only their partitions are read: not superseded versions, not districts).
-- $8 = the subject datasets (readScene), likewise.
WITH near AS (
  -- Features touched by the subjects in scope: one pass from the (few) subjects of an incremental run.
  SELECT DISTINCT c.id
  FROM lw_scope sc
  JOIN subject s ON s.id = sc.sid AND s.dataset_id = ANY($8::bigint[])
  JOIN constraint_feature c ON c.geom && s.geom
  WHERE NOT $5::boolean AND c.kind = ANY($1::text[]) AND c.dataset_id = ANY($7::bigint[])
), ins AS (
  INSERT INTO lw_piece (kind, feature_id, geom)
  SELECT f.kind, f.id, ST_Subdivide(ST_Segmentize(f.geom, $6::float8), $4::int)
  FROM constraint_feature f
  JOIN dataset d ON d.id = f.dataset_id AND d.status = 'active' AND d.kind = f.kind
  WHERE f.kind = ANY($1::text[]) AND f.dataset_id = ANY($7::bigint[])
    AND (f.kind <> 'planning_zone'
         OR EXISTS (SELECT 1 FROM unnest($2::text[]) c WHERE left(f.code, length(c)) = c))
    AND (f.kind <> 'cultivated_land'
         OR EXISTS (SELECT 1 FROM unnest($3::text[]) c WHERE left(f.code, length(c)) = c))
    AND ($5::boolean OR f.id IN (SELECT id FROM near))
  RETURNING kind
)
SELECT count(*)::int AS n, count(*) FILTER (WHERE kind = 'permit')::int AS permits FROM ins
