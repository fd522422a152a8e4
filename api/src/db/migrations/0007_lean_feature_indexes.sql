-- 0007_lean_feature_indexes: fewer and cheaper indexes on subject and constraint_feature, whose every
-- partition (one per imported layer version) gets them built when an import attaches it.
--
-- Why: building the indexes was a quarter of importing a layer (measured at 1,000,000 buildings: 6.0 s
-- of 25 s, one index after the other in the import's transaction), and three of them did nothing for
-- a table partitioned by dataset:
--  - subject (kind, epoch) and constraint_feature (dataset_id): one layer version has one kind, one
--    epoch and one dataset id, so every row of a partition has the same key; no query used them (the
--    dataset id prunes to the partition, which is read whole);
--  - subject (dataset_id, geom_hash): within a partition dataset_id is constant and spoils the sort
--    (its abbreviated keys come from the first column); md5 hex in the database's collation is
--    compared by strcoll. geom_hash alone in the "C" collation (byte order, exact for hex) sorts in
--    half the time (2.09 → 1.09 s at 1M). Lookups by hash name the collation (match-equal.sql).
DROP INDEX IF EXISTS subject_kind_epoch_idx;
DROP INDEX IF EXISTS subject_dataset_hash_idx;
DROP INDEX IF EXISTS constraint_feature_dataset_idx;
CREATE INDEX subject_geom_hash_idx ON subject (geom_hash COLLATE "C");
