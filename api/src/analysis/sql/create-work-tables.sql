-- Work tables of one analysis run. They live in the run's transaction only (ON COMMIT DROP), so a
-- failed run leaves nothing behind and two runs never see each other's work. On PostgreSQL they are
-- UNLOGGED tables instead, dropped before commit, and the heavy ones are created again by their fill
-- (work-table.ts: parallel workers cannot read temporary tables). The fills of lw_match,
-- lw_match_spatial, lw_permit_cover, lw_grown_base, lw_subj, lw_hit, lw_overlap, lw_placed, lw_flag
-- and lw_rule_rows (and of lw_universe, lw_twin, lw_piece) are SELECTs in this column order; their
-- indexes are built after the fill, by the pipeline.
-- Geometry columns are untyped on purpose: intermediate results may be empty or of another type until
-- ST_CollectionExtract(…, 3) is applied; only what is published is a typed MultiPolygon.
DROP TABLE IF EXISTS lw_universe, lw_scope, lw_match, lw_match_spatial, lw_permit_cover, lw_grown_base, lw_subj, lw_piece, lw_hit, lw_overlap, lw_finding, lw_flag,
                     lw_rule_rows, lw_evidence, lw_changed_ds, lw_twin, lw_changed, lw_placed;

-- Every subject the analysis covers now (no geometry: cheap to hold for a million buildings).
-- Tables filled with up to a million rows in one statement get their indexes after the fill (see
-- analysis-pipeline.ts): one sorted build instead of a million random insertions (measured: 14 s of
-- 20 s when pairing a re-delivered layer of 1M buildings).
CREATE TEMP TABLE lw_universe (
  sid          bigint NOT NULL,
  kind         text NOT NULL,
  dataset_id   bigint NOT NULL,
  layer        text NOT NULL,
  epoch        date,
  source_id    text,
  geom_hash    text NOT NULL,
  suspect_key  text NOT NULL
) ON COMMIT DROP;

-- The subjects this run evaluates, with their universe columns: all of the universe (full) or those
-- touched by changes (incremental). Carrying the columns spares each later statement a join of the
-- scope with the universe (in a full run at 1M buildings: three hash joins of a million rows each).
CREATE TEMP TABLE lw_scope (LIKE lw_universe) ON COMMIT DROP;

-- The best-matching baseline building of each building in scope that touches one (match-equal.sql,
-- match-spatial.sql): iou = overlap / union, b_m2 = its area.
CREATE TEMP TABLE lw_match (
  sid   bigint NOT NULL,
  bid   bigint NOT NULL,
  iou   double precision NOT NULL,
  b_m2  double precision NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE lw_match_spatial (LIKE lw_match) ON COMMIT DROP;

-- What permits cover of each subject in scope they touch (load-permit-cover.sql), and the baseline
-- footprints each grown building touches (load-grown-base.sql); both read by load-subjects.sql.
CREATE TEMP TABLE lw_permit_cover (
  sid      bigint NOT NULL,
  covered  boolean NOT NULL,
  g        geometry NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE lw_grown_base (
  sid         bigint NOT NULL,
  footprints  geometry NOT NULL
) ON COMMIT DROP;

-- Subjects in scope with their geometry, baseline match, and the parts rules look at:
-- eff = footprint minus permitted area (NULL when no permit touches it: the whole footprint); newpart = what is new since the baseline (new or added part).
CREATE TEMP TABLE lw_subj (
  sid          bigint NOT NULL,
  kind         text NOT NULL,
  suspect_key  text NOT NULL,
  epoch        date,
  source_id    text,
  geom         geometry NOT NULL,
  geom_hash    text NOT NULL,
  area_m2      double precision NOT NULL,
  match_id     bigint,
  match_iou    double precision,
  old_area_m2  double precision,
  is_new       boolean NOT NULL DEFAULT false,
  grown        boolean NOT NULL DEFAULT false,
  eff          geometry,
  eff_whole    boolean NOT NULL DEFAULT true,   -- no permit touches it (eff IS NULL)
  newpart      geometry
) ON COMMIT DROP;

-- Constraint polygons cut into small pieces (ST_Subdivide): GiST boxes get tight and each
-- intersection handles a few hundred vertices instead of a whole farmland parcel.
CREATE TEMP TABLE lw_piece (
  kind        text NOT NULL,
  feature_id  bigint NOT NULL,
  geom        geometry NOT NULL
) ON COMMIT DROP;

-- The district each subject with findings is placed in (place-subjects.sql).
CREATE TEMP TABLE lw_placed (
  sid   bigint NOT NULL,
  code  text NOT NULL
) ON COMMIT DROP;

-- Subject × piece overlaps (polygonal part only).
CREATE TEMP TABLE lw_hit (
  sid         bigint NOT NULL,
  kind        text NOT NULL,
  feature_id  bigint NOT NULL,
  g           geometry NOT NULL,
  whole_m2    double precision       -- the subject's area when g is its whole footprint
) ON COMMIT DROP;

-- Per subject and constraint kind: the union of its overlaps, the features involved, and m².
CREATE TEMP TABLE lw_overlap (
  sid          bigint NOT NULL,
  kind         text NOT NULL,
  feature_ids  bigint[] NOT NULL,
  g            geometry NOT NULL,
  m2           double precision NOT NULL
) ON COMMIT DROP;

-- What the rules found. matched_from tells whether feature_ids are constraint features or
-- (for EXPANSION) baseline buildings.
CREATE TEMP TABLE lw_finding (
  sid           bigint NOT NULL,
  rule          text NOT NULL,
  matched_from  text NOT NULL CHECK (matched_from IN ('constraint', 'subject', 'none')),
  feature_ids   bigint[] NOT NULL DEFAULT '{}',
  g             geometry NOT NULL,
  overlap_m2    double precision NOT NULL,
  share         double precision NOT NULL,
  severity      text,
  PRIMARY KEY (sid, rule)
) ON COMMIT DROP;
-- One rule's findings before they join lw_finding (work-table.ts appendFindings, PostgreSQL only).
CREATE TEMP TABLE lw_rule_rows (LIKE lw_finding) ON COMMIT DROP;

-- The evidence entry of every feature (or baseline building) a finding names, built once per run.
CREATE TEMP TABLE lw_evidence (
  what  text NOT NULL,
  id    bigint NOT NULL,
  j     jsonb NOT NULL,
  PRIMARY KEY (what, id)
) ON COMMIT DROP;

-- One row per flagged subject: what its suspect will say.
CREATE TEMP TABLE lw_flag (
  sid            bigint NOT NULL,
  suspect_key    text NOT NULL,
  rules          text[] NOT NULL,
  severity       text NOT NULL,
  disposition    text NOT NULL,
  overlap_m2     double precision NOT NULL,
  district_code  text
) ON COMMIT DROP;

-- Incremental runs: dataset versions that appeared or went away since the previous run, the
-- features/subjects that are unchanged copies across versions (twins), and the changed areas.
CREATE TEMP TABLE lw_changed_ds (
  id        bigint PRIMARY KEY,
  kind      text NOT NULL,
  name      text NOT NULL,
  epoch     date,
  appeared  boolean NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE lw_twin (
  what            text NOT NULL CHECK (what IN ('feature', 'subject')),
  old_id          bigint NOT NULL,
  new_id          bigint NOT NULL,
  new_dataset_id  bigint NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE lw_changed (geom geometry NOT NULL) ON COMMIT DROP;
