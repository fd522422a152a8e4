-- The active version of this layer imported with the same options, if any, with the sha256 of its
-- bytes: only such a version can make an import a no-op, and only then does the import wait for the
-- new source's hash before it starts (import.service.ts).
SELECT id, version, feature_count, repaired_count, rejected_count, source_srs, encoding, source_sha256
FROM dataset
WHERE kind = $1 AND name = $2 AND status = 'active' AND options_hash = $3
