-- Datasets, newest first, optionally filtered by kind ($1) and status ($2; NULL = any).
SELECT id, kind, name, version, status, epoch, source_file, source_layer, source_srs, encoding,
       feature_count, repaired_count, rejected_count, imported_at, superseded_by,
       CASE WHEN bbox IS NULL THEN NULL ELSE
         json_build_array(ST_XMin(bbox), ST_YMin(bbox), ST_XMax(bbox), ST_YMax(bbox)) END AS bbox
FROM dataset
WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
ORDER BY imported_at DESC, id DESC
LIMIT $3
