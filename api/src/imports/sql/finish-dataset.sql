-- Counts, extent, report ($2, JSON) and source sha256 ($3) of the new version: $4 rows stored and
-- $5..$8 their extent (min lon, min lat, max lon, max lat; NULL when none), as measure-stored.sql
-- read them.
UPDATE dataset d SET
  feature_count  = $4::int,
  repaired_count = s.repaired,
  rejected_count = s.rejected,
  bbox = CASE WHEN $4::int > 0 THEN ST_MakeEnvelope($5::float8, $6::float8, $7::float8, $8::float8, 4490) END,
  report = $2::jsonb,
  source_sha256 = $3
FROM (
  SELECT count(*) FILTER (WHERE reject_code IS NULL AND repaired)::int AS repaired,
         count(*) FILTER (WHERE reject_code IS NOT NULL)::int AS rejected
  FROM lw_import_stage
) s
WHERE d.id = $1
RETURNING d.feature_count, d.repaired_count, d.rejected_count,
          ST_XMin(d.bbox) AS xmin, ST_YMin(d.bbox) AS ymin, ST_XMax(d.bbox) AS xmax, ST_YMax(d.bbox) AS ymax
