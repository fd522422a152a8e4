-- The new version of the layer: version = previous highest + 1. The source's sha256 is still being
-- computed beside the load: zeros stand in until finish-dataset.sql writes it, before the import's
-- transaction commits (no other session ever sees them).
INSERT INTO dataset (kind, name, version, epoch, source_file, source_layer, source_sha256, options_hash,
                     source_srs, srs_how, encoding, encoding_how, report, imported_by)
SELECT $1, $2, coalesce(max(version), 0) + 1, $3::date, $4, $5, repeat('0', 64), $6, $7, $8, $9, $10, $11::jsonb, $12
FROM dataset WHERE kind = $1 AND name = $2
RETURNING id, version
