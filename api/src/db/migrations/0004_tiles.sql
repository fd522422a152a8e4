-- 0004_tiles: what the vector-tile cache needs to know when the data behind a tile changed.
--
-- Every statement that writes a table drawn on the map appends one row here (statement-level
-- triggers: one row per INSERT/UPDATE/DELETE/TRUNCATE statement, not per row, so a million-row
-- import costs one insert). The tile service reads `count(*)` and `max(id)` per source before each
-- tile and keys its cache on them.
--
-- Why a log and not a counter row (`UPDATE … SET version = version + 1`): a counter row is locked
-- until its transaction commits, so a long import or analysis would make every other writer of the
-- same table wait. Appending never blocks. Why count *and* max: ids are handed out before commit, so
-- a transaction that took id 10 may commit after one that took 11; max alone would then not move,
-- count does. The row is inserted in the writer's own transaction, so it is visible exactly when the
-- data is — a tile can never be cached under a version newer than the data it was drawn from.
-- Old rows are pruned by the tile service (all but the newest per source, after an hour).
CREATE TABLE tile_change (
  id      bigserial PRIMARY KEY,
  source  text NOT NULL,
  at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX tile_change_source_idx ON tile_change (source, id);

CREATE FUNCTION lw_tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tile_change (source) VALUES (TG_TABLE_NAME);
  RETURN NULL;
END
$$;

-- dataset: a layer version becoming active or superseded changes which features are drawn.
CREATE TRIGGER dataset_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dataset
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();

CREATE TRIGGER constraint_feature_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON constraint_feature
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();

CREATE TRIGGER subject_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON subject
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();

CREATE TRIGGER district_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON district
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();

-- suspect: status changes by analysts, new runs of the analysis.
CREATE TRIGGER suspect_tile_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON suspect
  FOR EACH STATEMENT EXECUTE FUNCTION lw_tile_change();

-- The map's search box looks features up by the id they carry in the delivered file (BSM, JCBH …).
CREATE INDEX IF NOT EXISTS lw_search_subject_source_idx ON subject (source_id);
CREATE INDEX IF NOT EXISTS lw_search_constraint_source_idx ON constraint_feature (source_id);
CREATE INDEX IF NOT EXISTS lw_search_suspect_source_idx ON suspect (source_id text_pattern_ops);
