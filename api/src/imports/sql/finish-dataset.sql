-- Counts and extent of the new version. feature_count counts the rows really stored, and `staged` the
-- rows the stage accepted: the service refuses the import when they differ (PGlite can drop rows of a
-- statement silently where native PostGIS raises a GEOS error).
UPDATE dataset d SET
  feature_count  = (SELECT count(*) FROM constraint_feature WHERE dataset_id = $1)
                 + (SELECT count(*) FROM subject WHERE dataset_id = $1),
  repaired_count = s.repaired,
  rejected_count = s.rejected,
  bbox = s.extent
FROM (
  SELECT count(*) FILTER (WHERE reject_code IS NULL)::int AS accepted,
         count(*) FILTER (WHERE reject_code IS NULL AND repaired)::int AS repaired,
         count(*) FILTER (WHERE reject_code IS NOT NULL)::int AS rejected,
         CASE WHEN count(*) FILTER (WHERE reject_code IS NULL) > 0 THEN
           ST_SetSRID(ST_Envelope(ST_Extent(geom) FILTER (WHERE reject_code IS NULL)::geometry), 4490) END AS extent
  FROM lw_import_stage
) s
WHERE d.id = $1
RETURNING s.accepted AS staged, d.feature_count, d.repaired_count, d.rejected_count,
          ST_XMin(d.bbox) AS xmin, ST_YMin(d.bbox) AS ymin, ST_XMax(d.bbox) AS xmax, ST_YMax(d.bbox) AS ymax
