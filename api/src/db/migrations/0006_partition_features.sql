-- 0006_partition_features: subject and constraint_feature are partitioned by dataset, one partition
-- per imported layer version (subject_p<dataset id>, constraint_feature_p<dataset id>) plus a
-- default partition for rows written any other way.
--
-- Why: an import used to insert its rows into one big table, maintaining five or six indexes row by
-- row (GiST above all): measured, index upkeep was 60 % of publishing 200,000 buildings, and it grows
-- with the table. Now an import fills a plain table of its own, and ATTACH PARTITION builds the
-- indexes in bulk (a sorted/buffered build, several times cheaper) inside the import's transaction,
-- so a failed import still leaves nothing behind. Queries are unchanged; `dataset_id = …` prunes.
--
-- Cost: a partitioned table's unique keys must include the partition key, so the primary keys become
-- (id, dataset_id) — ids stay unique, they still come from one sequence — and suspect/finding no longer
-- declare a foreign key to subject(id) (PostgreSQL cannot reference a partitioned table's id alone).
-- Nothing deletes subjects: superseded versions stay for history, and suspects keep their own copy of
-- geometry, key and source id.

ALTER TABLE suspect DROP CONSTRAINT IF EXISTS suspect_subject_id_fkey;
ALTER TABLE finding DROP CONSTRAINT IF EXISTS finding_subject_id_fkey;

ALTER SEQUENCE subject_id_seq OWNED BY NONE;
ALTER SEQUENCE constraint_feature_id_seq OWNED BY NONE;
ALTER TABLE subject RENAME TO subject_unpartitioned;
ALTER TABLE constraint_feature RENAME TO constraint_feature_unpartitioned;
DROP TRIGGER subject_tile_change ON subject_unpartitioned;
DROP TRIGGER constraint_feature_tile_change ON constraint_feature_unpartitioned;
ALTER INDEX subject_geom_gix RENAME TO subject_unpartitioned_geom_gix;
ALTER INDEX subject_dataset_idx RENAME TO subject_unpartitioned_dataset_idx;
ALTER INDEX subject_kind_epoch_idx RENAME TO subject_unpartitioned_kind_epoch_idx;
ALTER INDEX subject_dataset_hash_idx RENAME TO subject_unpartitioned_dataset_hash_idx;
ALTER INDEX lw_search_subject_source_idx RENAME TO subject_unpartitioned_source_idx;
ALTER INDEX constraint_feature_geom_gix RENAME TO constraint_feature_unpartitioned_geom_gix;
ALTER INDEX constraint_feature_dataset_idx RENAME TO constraint_feature_unpartitioned_dataset_idx;
ALTER INDEX constraint_feature_kind_idx RENAME TO constraint_feature_unpartitioned_kind_idx;
ALTER INDEX lw_search_constraint_source_idx RENAME TO constraint_feature_unpartitioned_source_idx;

CREATE TABLE constraint_feature (
  id           bigint NOT NULL DEFAULT nextval('constraint_feature_id_seq'),
  dataset_id   bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (lw_is_kind(kind) AND kind NOT IN ('building', 'change_patch')),
  row_number   integer NOT NULL,
  source_id    text,
  code         text,                           -- DLBM, planning use code, passage type …
  code_system  text,                           -- 'GB/T 21010-2017' (三调) or 'GHYD-2023' (用地用海)
  name         text,
  attrs        jsonb NOT NULL DEFAULT '{}'::jsonb,   -- every source attribute, as delivered
  geom         geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
  source_geom  geometry(Geometry, 4490),
  area_m2      double precision NOT NULL,      -- ellipsoidal
  width_m      double precision,
  PRIMARY KEY (id, dataset_id)
) PARTITION BY LIST (dataset_id);
ALTER SEQUENCE constraint_feature_id_seq OWNED BY constraint_feature.id;
CREATE TABLE constraint_feature_default PARTITION OF constraint_feature DEFAULT;
CREATE INDEX constraint_feature_geom_gix ON constraint_feature USING gist (geom);
CREATE INDEX constraint_feature_dataset_idx ON constraint_feature (dataset_id);
CREATE INDEX constraint_feature_kind_idx ON constraint_feature (kind);
CREATE INDEX lw_search_constraint_source_idx ON constraint_feature (source_id);

CREATE TABLE subject (
  id           bigint NOT NULL DEFAULT nextval('subject_id_seq'),
  dataset_id   bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('building', 'change_patch')),
  epoch        date,
  row_number   integer NOT NULL,
  source_id    text,
  attrs        jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom         geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
  geom_hash    text NOT NULL,                  -- md5 of the WKB: tells a changed geometry apart
  area_m2      double precision NOT NULL,      -- ellipsoidal
  PRIMARY KEY (id, dataset_id)
) PARTITION BY LIST (dataset_id);
ALTER SEQUENCE subject_id_seq OWNED BY subject.id;
CREATE TABLE subject_default PARTITION OF subject DEFAULT;
CREATE INDEX subject_geom_gix ON subject USING gist (geom);
CREATE INDEX subject_kind_epoch_idx ON subject (kind, epoch);
-- (dataset_id, geom_hash) also serves lookups by dataset alone: no separate dataset_id index.
CREATE INDEX subject_dataset_hash_idx ON subject (dataset_id, geom_hash);
CREATE INDEX lw_search_subject_source_idx ON subject (source_id);

-- Existing rows: a partition per dataset that has any, filled through the parent.
DO $$
DECLARE d bigint;
BEGIN
  FOR d IN SELECT DISTINCT dataset_id FROM subject_unpartitioned ORDER BY 1 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF subject FOR VALUES IN (%s)', 'subject_p' || d, d);
  END LOOP;
  FOR d IN SELECT DISTINCT dataset_id FROM constraint_feature_unpartitioned ORDER BY 1 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF constraint_feature FOR VALUES IN (%s)', 'constraint_feature_p' || d, d);
  END LOOP;
END
$$;
INSERT INTO subject (id, dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
SELECT id, dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2 FROM subject_unpartitioned;
INSERT INTO constraint_feature (id, dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, source_geom, area_m2, width_m)
SELECT id, dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, source_geom, area_m2, width_m
FROM constraint_feature_unpartitioned;
DROP TABLE subject_unpartitioned;
DROP TABLE constraint_feature_unpartitioned;

-- Statement-level triggers fire for writes through the parent; an import writes its partition
-- directly and logs its own tile_change row when it attaches it.
CREATE TRIGGER constraint_feature_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON constraint_feature
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();
CREATE TRIGGER subject_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON subject
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();
