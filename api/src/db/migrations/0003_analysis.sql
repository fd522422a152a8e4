-- 0003_analysis: what the violation analysis needs beyond the core schema.

-- A run remembers what it saw (the active dataset versions) so the next incremental run can tell
-- exactly which layers changed since, without trusting clocks.
ALTER TABLE analysis_run
  ADD COLUMN requested_mode  text CHECK (requested_mode IN ('full', 'incremental')),
  ADD COLUMN ruleset_path    text,
  ADD COLUMN engine_version  integer,
  ADD COLUMN dataset_ids     bigint[] NOT NULL DEFAULT '{}',
  ADD COLUMN previous_run_id bigint REFERENCES analysis_run(id),
  ADD COLUMN notes           jsonb NOT NULL DEFAULT '[]'::jsonb;
CREATE INDEX analysis_run_status_idx ON analysis_run (status, id);

-- Findings carry the ruleset's content hash beside its version, and their own severity.
ALTER TABLE finding
  ADD COLUMN ruleset_hash text,
  ADD COLUMN severity     text CHECK (severity IN ('light', 'general', 'serious'));

-- The largest overlap of a suspect's findings (m², ellipsoidal) and the ruleset hash of its last run.
ALTER TABLE suspect
  ADD COLUMN overlap_m2   double precision NOT NULL DEFAULT 0,
  ADD COLUMN ruleset_hash text;
CREATE INDEX suspect_rules_gin ON suspect USING gin (rules);
CREATE INDEX suspect_active_id_idx ON suspect (id) WHERE active;

-- Every run rewrites the suspects it flags, and a re-imported layer moves suspects and findings to its
-- new subject rows: room on each page lets PostgreSQL update in place (HOT) without touching the
-- geometry and other indexes. Hence also no index on subject_id (an indexed column cannot change in
-- place); nothing looks suspects up by subject row.
ALTER TABLE suspect SET (fillfactor = 80);
ALTER TABLE finding SET (fillfactor = 80);

-- Incremental runs look up "the same subject in the previous version of its layer" by hash.
CREATE INDEX subject_dataset_hash_idx ON subject (dataset_id, geom_hash);
