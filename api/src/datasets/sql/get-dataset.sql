SELECT id, kind, name, version, status, epoch, source_file, source_layer, source_sha256, source_srs, srs_how,
       encoding, encoding_how, feature_count, repaired_count, rejected_count, report, imported_at, imported_by,
       superseded_at, superseded_by,
       (SELECT id FROM dataset p WHERE p.superseded_by = d.id) AS supersedes,
       CASE WHEN bbox IS NULL THEN NULL ELSE
         json_build_array(ST_XMin(bbox), ST_YMin(bbox), ST_XMax(bbox), ST_YMax(bbox)) END AS bbox
FROM dataset d
WHERE id = $1
