-- One chunk of rows as the reader delivered them (binary COPY), before any parsing: each chunk is
-- routed (route-chunk.sql) and then emptied. Temporary, dropped at commit, so a failed or killed
-- import leaves nothing behind.
CREATE TEMP TABLE lw_import_chunk (
  row_number    integer NOT NULL,
  source_id     text,
  attrs         text NOT NULL,     -- JSON of the attributes as delivered
  g             bytea,             -- WKB, 2D, in the source CRS; NULL when there is no geometry
  width_m       double precision,  -- centre-line width (m) for kinds that buffer lines
  problem_code  text,              -- reader-level problem (NAN_COORDINATE, BAD_WKT …)
  problem_msg   text,
  area_m2       double precision,  -- ellipsoidal area from the source grid (crs/gk-area.calculator.ts); NULL: PostGIS measures
  certified     boolean NOT NULL   -- Node certified the polygon valid (simple-polygon.certifier.ts); false: PostGIS tests it
) ON COMMIT DROP
