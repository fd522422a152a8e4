-- The staging table of one layer: rows land here, are checked and repaired, then swapped in.
-- A temporary table dropped at commit, so a failed or killed import leaves nothing behind.
CREATE TEMP TABLE lw_import_stage (
  row_number     integer PRIMARY KEY,
  source_id      text,
  attrs          jsonb NOT NULL,
  has_geom       boolean NOT NULL,  -- the source row had a geometry at all
  geom           geometry,          -- parsed and transformed to EPSG:4490 on insert, then repaired
  transform_failed boolean NOT NULL DEFAULT false,
  source_geom    geometry,          -- a centre line, when geom was buffered from it
  width_m        double precision,  -- width used for the buffer (m)
  problem_code   text,              -- reader-level problem (NAN_COORDINATE, BAD_WKT …)
  problem_msg    text,
  reject_code    text,
  reject_detail  text,
  repaired       boolean NOT NULL DEFAULT false,
  touched        boolean NOT NULL DEFAULT false,  -- geometry rewritten by repair/extraction
  repair_reason  text
) ON COMMIT DROP
