-- The active version of this layer imported from the same bytes with the same options, if any.
SELECT id, version, feature_count, repaired_count, rejected_count, source_srs, encoding
FROM dataset
WHERE kind = $1 AND name = $2 AND status = 'active' AND source_sha256 = $3 AND options_hash = $4
