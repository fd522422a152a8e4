-- Counts, extent, report ($2, JSON) and source sha256 ($3) of the new version. feature_count counts the
-- rows really stored; the service compares it with the rows it routed and published (PGlite can drop
-- rows of a statement silently where native PostGIS raises a GEOS error).
UPDATE dataset d SET
  feature_count  = f.n,
  repaired_count = s.repaired,
  rejected_count = s.rejected,
  bbox = CASE WHEN f.n > 0 THEN ST_SetSRID(ST_Envelope(f.extent::geometry), 4490) END,
  report = $2::jsonb,
  source_sha256 = $3
FROM (
  SELECT count(*)::int AS n, ST_Extent(geom) AS extent
  FROM (SELECT geom FROM constraint_feature WHERE dataset_id = $1
        UNION ALL SELECT geom FROM subject WHERE dataset_id = $1) stored
) f,
(
  SELECT count(*) FILTER (WHERE reject_code IS NULL AND repaired)::int AS repaired,
         count(*) FILTER (WHERE reject_code IS NOT NULL)::int AS rejected
  FROM lw_import_stage
) s
WHERE d.id = $1
RETURNING d.feature_count, d.repaired_count, d.rejected_count,
          ST_XMin(d.bbox) AS xmin, ST_YMin(d.bbox) AS ymin, ST_XMax(d.bbox) AS xmax, ST_YMax(d.bbox) AS ymax
