-- 0011_constraint_piece_cache: constraint features cut into pieces for the analysis, kept between runs
-- instead of cut again by every run (as migration 0009 keeps the district pieces).
--
-- Why: every run cut every active constraint feature (ST_Segmentize + ST_Subdivide): ~1.5 s at county
-- scale (200,000 parcels, 50,000 passages) for a full run, and an incremental run of a few buildings
-- spent ~1.7 s finding the features near them through every layer's partition (one index per layer).
-- Kept, the pieces of all layers sit under one spatial index.
--
-- Freshness: pieces are kept per dataset version; an import makes a new version, whose pieces the
-- next run that needs them cuts. A write to rows of a dataset that already has pieces (an edit in
-- place) bumps constraint_version (statement triggers, in the writer's own transaction, so the new
-- version is seen exactly when the new rows are); a dataset's build record names the version and the
-- piece size it was cut with, and an analysis cuts again every dataset it needs whose record is not
-- current (ensure-constraint-pieces.sql). Only analyses write pieces, one at a time (their advisory
-- lock); the version and the build records are separate rows so that a writer never waits for an
-- analysis's row locks. Pieces and build records are UNLOGGED: a cache need not be written twice
-- (WAL), and after a crash PostgreSQL empties both together, so no record ever names pieces that are
-- gone (the next run cuts them again).
CREATE UNLOGGED TABLE constraint_piece (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset_id  bigint NOT NULL,
  kind        text NOT NULL,
  feature_id  bigint NOT NULL,
  code        text,           -- the feature's code: planning use or land class, filtered by the ruleset at read time
  geom        geometry NOT NULL
);
CREATE INDEX constraint_piece_geom_gix ON constraint_piece USING gist (geom);
CREATE INDEX constraint_piece_dataset_idx ON constraint_piece (dataset_id);

CREATE TABLE constraint_version (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  version  bigint NOT NULL
);
INSERT INTO constraint_version (version) VALUES (1);

CREATE UNLOGGED TABLE constraint_piece_build (
  dataset_id    bigint PRIMARY KEY,
  version       bigint NOT NULL,
  max_vertices  integer NOT NULL,
  segment_max   double precision NOT NULL
);

-- Bumps the version when a statement wrote rows of a dataset that has pieces (or truncated the table).
-- An import writes a new dataset version, which no build record names yet: it bumps nothing, so
-- imports of two layers at once never queue on the version row.
CREATE FUNCTION lw_constraint_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched boolean := TG_OP = 'TRUNCATE';
BEGIN
  -- One test per transition table, each in its own statement: a table the event has not is unknown.
  IF NOT touched AND TG_OP IN ('INSERT', 'UPDATE') THEN
    touched := EXISTS (SELECT 1 FROM lw_new_rows n JOIN constraint_piece_build b ON b.dataset_id = n.dataset_id);
  END IF;
  IF NOT touched AND TG_OP IN ('UPDATE', 'DELETE') THEN
    touched := EXISTS (SELECT 1 FROM lw_old_rows o JOIN constraint_piece_build b ON b.dataset_id = o.dataset_id);
  END IF;
  IF touched THEN
    UPDATE constraint_version SET version = version + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER constraint_version_bump_insert AFTER INSERT ON constraint_feature
  REFERENCING NEW TABLE AS lw_new_rows FOR EACH STATEMENT EXECUTE FUNCTION lw_constraint_changed();
CREATE TRIGGER constraint_version_bump_update AFTER UPDATE ON constraint_feature
  REFERENCING OLD TABLE AS lw_old_rows NEW TABLE AS lw_new_rows FOR EACH STATEMENT EXECUTE FUNCTION lw_constraint_changed();
CREATE TRIGGER constraint_version_bump_delete AFTER DELETE ON constraint_feature
  REFERENCING OLD TABLE AS lw_old_rows FOR EACH STATEMENT EXECUTE FUNCTION lw_constraint_changed();
CREATE TRIGGER constraint_version_bump_truncate AFTER TRUNCATE ON constraint_feature
  FOR EACH STATEMENT EXECUTE FUNCTION lw_constraint_changed();
