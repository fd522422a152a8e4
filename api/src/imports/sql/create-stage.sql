-- The staging table of one layer: the rows that are not plain valid polygons in range (the route
-- statements send those straight to the partition) land here, are checked and repaired, and the
-- accepted ones then join the partition; rejects stay here for the report. A temporary table
-- dropped at commit, so a failed or killed import leaves nothing behind.
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
