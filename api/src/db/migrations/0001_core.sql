-- 0001_core: PostGIS and the core schema of LandWatch.
-- Geometry is stored in EPSG:4490 (CGCS2000 lon/lat) and always valid (made valid at import), because
-- PGlite's PostGIS answers a GEOS error with zero rows instead of raising it.

CREATE EXTENSION IF NOT EXISTS postgis;

-- The eleven kinds of layer LandWatch understands; one list, checked by every table that names a kind.
CREATE FUNCTION lw_is_kind(k text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT k IN ('district', 'basic_farmland', 'cultivated_land', 'planning_zone', 'development_boundary',
               'ecological_redline', 'public_passage', 'permit', 'demolished_site', 'building', 'change_patch')
$$;

-- One imported version of one layer. A layer is identified by (kind, name); a new import of the same
-- layer supersedes the active version, which stays readable for history.
CREATE TABLE dataset (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (lw_is_kind(kind)),
  name            text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'superseded')),
  epoch           date,                          -- survey epoch (buildings) or imagery date
  source_file     text NOT NULL,
  source_layer    text,
  source_sha256   text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  options_hash    text NOT NULL,                 -- same file + same options = no-op re-import
  source_srs      text,                          -- e.g. 'EPSG:4547'
  srs_how         text,                          -- prj | gpkg | option | inferred | …
  encoding        text,
  encoding_how    text,
  feature_count   integer NOT NULL DEFAULT 0,
  repaired_count  integer NOT NULL DEFAULT 0,
  rejected_count  integer NOT NULL DEFAULT 0,
  bbox            geometry(Polygon, 4490),
  report          jsonb NOT NULL DEFAULT '{}'::jsonb,  -- notes, repairs, reject summary
  imported_at     timestamptz NOT NULL DEFAULT now(),
  imported_by     text,
  superseded_at   timestamptz,
  superseded_by   bigint REFERENCES dataset(id),
  UNIQUE (kind, name, version)
);
CREATE UNIQUE INDEX dataset_one_active_per_layer ON dataset (kind, name) WHERE status = 'active';
CREATE INDEX dataset_sha_idx ON dataset (source_sha256, options_hash);

-- Administrative units, from the active `district` dataset. 12-digit code = 6-digit county (GB/T 2260)
-- + 3-digit township + 3-digit village/community; level follows from the code.
CREATE TABLE district (
  code         text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  name         text NOT NULL,
  level        text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
  parent_code  text,
  dataset_id   bigint REFERENCES dataset(id),
  geom         geometry(MultiPolygon, 4490),
  area_m2      double precision                -- ellipsoidal
);
CREATE INDEX district_geom_gix ON district USING gist (geom);
CREATE INDEX district_parent_idx ON district (parent_code);
CREATE INDEX district_level_idx ON district (level);

-- Features of constraint layers (farmland, zones, passages, permits, …). Polygons only: centre lines
-- are buffered by their width at import and kept in source_geom.
CREATE TABLE constraint_feature (
  id           bigserial PRIMARY KEY,
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
  area_m2      double precision NOT NULL       -- ellipsoidal
);
CREATE INDEX constraint_feature_geom_gix ON constraint_feature USING gist (geom);
CREATE INDEX constraint_feature_dataset_idx ON constraint_feature (dataset_id);
CREATE INDEX constraint_feature_kind_idx ON constraint_feature (kind);

-- Subjects of analysis: building footprints (per survey epoch) and imagery change patches (图斑).
CREATE TABLE subject (
  id           bigserial PRIMARY KEY,
  dataset_id   bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('building', 'change_patch')),
  epoch        date,
  row_number   integer NOT NULL,
  source_id    text,
  attrs        jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom         geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
  geom_hash    text NOT NULL,                  -- md5 of the WKB: tells a changed geometry apart
  area_m2      double precision NOT NULL       -- ellipsoidal
);
CREATE INDEX subject_geom_gix ON subject USING gist (geom);
CREATE INDEX subject_dataset_idx ON subject (dataset_id);
CREATE INDEX subject_kind_epoch_idx ON subject (kind, epoch);

-- One analysis run: which ruleset (version + content hash), what it did, how long it took.
CREATE TABLE analysis_run (
  id               bigserial PRIMARY KEY,
  mode             text NOT NULL CHECK (mode IN ('full', 'incremental')),
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  ruleset_version  text NOT NULL,
  ruleset_hash     text NOT NULL,
  baseline_epoch   date,
  latest_epoch     date,
  counts           jsonb NOT NULL DEFAULT '{}'::jsonb,
  timings          jsonb NOT NULL DEFAULT '{}'::jsonb,
  error            text,
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);

-- The parcel analysts see: one subject with at least one finding. suspect_key keeps the id stable
-- across runs and dataset versions (same subject → same suspect).
CREATE TABLE suspect (
  id              bigserial PRIMARY KEY,
  suspect_key     text NOT NULL UNIQUE,
  subject_id      bigint REFERENCES subject(id) ON DELETE SET NULL,
  subject_kind    text NOT NULL CHECK (subject_kind IN ('building', 'change_patch')),
  source_id       text,
  epoch           date,
  is_new          boolean NOT NULL DEFAULT false, -- new since the baseline epoch (增量) vs stock (存量)
  district_code   text,
  rules           text[] NOT NULL DEFAULT '{}',
  severity        text CHECK (severity IN ('light', 'general', 'serious')),
  disposition     text,
  area_m2         double precision NOT NULL,
  geom            geometry(MultiPolygon, 4490) NOT NULL,
  geom_hash       text NOT NULL,
  status          text NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'confirmed', 'dismissed', 'in_progress', 'resolved')),
  active          boolean NOT NULL DEFAULT true,  -- false when the latest run no longer flags it
  first_run_id    bigint REFERENCES analysis_run(id),
  last_run_id     bigint REFERENCES analysis_run(id),
  ruleset_version text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suspect_geom_gix ON suspect USING gist (geom);
CREATE INDEX suspect_district_idx ON suspect (district_code text_pattern_ops);
CREATE INDEX suspect_status_idx ON suspect (status, active);

-- Evidence: one rule firing on one subject, with the constraint features it matched.
CREATE TABLE finding (
  id               bigserial PRIMARY KEY,
  run_id           bigint NOT NULL REFERENCES analysis_run(id),
  suspect_id       bigint REFERENCES suspect(id) ON DELETE CASCADE,
  subject_id       bigint REFERENCES subject(id) ON DELETE SET NULL,
  rule             text NOT NULL,
  matched          jsonb NOT NULL DEFAULT '[]'::jsonb,  -- [{featureId, datasetId, sourceId, code, name, attrs}]
  overlap_geom     geometry(MultiPolygon, 4490),
  overlap_m2       double precision NOT NULL,
  overlap_mu       double precision NOT NULL,
  share            double precision NOT NULL,          -- overlap / subject area, 0..1
  ruleset_version  text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX finding_suspect_idx ON finding (suspect_id);
CREATE INDEX finding_rule_idx ON finding (rule);

-- Append-only history of what people did with a suspect (全程留痕).
CREATE TABLE case_event (
  id           bigserial PRIMARY KEY,
  suspect_id   bigint NOT NULL REFERENCES suspect(id),
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  type         text NOT NULL,
  from_status  text,
  to_status    text,
  note         text,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX case_event_suspect_idx ON case_event (suspect_id, at);

CREATE FUNCTION lw_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_event is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event
  FOR EACH ROW EXECUTE FUNCTION lw_forbid_change();

-- Long-running work (imports, analyses, exports, change detection) with progress for the API.
CREATE TABLE job (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type         text NOT NULL,
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  progress     double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  message      text,
  params       jsonb NOT NULL DEFAULT '{}'::jsonb,
  result       jsonb,
  error        jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz
);
CREATE INDEX job_status_idx ON job (status, created_at);
