-- One chunk from lw_import_chunk, routed: rows that need nothing more — a polygon or multipolygon,
-- inside the area of use, valid — go straight into the new version's partition (the PUBLISH
-- placeholder takes the insert of route-subjects.sql or route-constraints.sql, which reads `routed
-- WHERE clean` and returns the row numbers it published); every other row goes to the stage
-- (lw_import_stage) for the checks and repairs of validate.
-- $1 source SRID; $2..$5 area of use in EPSG:4490 (min lon, min lat, max lon, max lat); $6… belong to
-- the publishing insert. Answers how many rows went each way.
-- Validity: a row Node certified (c.certified, see simple-polygon.certifier.ts) is valid after the
-- transform; every other row is tested here. This is the only test a routed row gets: the partition
-- has no CHECK on its geometry (migration 0008).
-- The geometry and its box are computed once per row in a LATERAL subquery (OFFSET 0 keeps them from
-- being inlined into each of their uses below: ST_XMin(geom) four times costs twice the one box). The
-- routed rows are not materialized: writing every row's geometry and attributes to a tuplestore for
-- the sake of the few that are not clean cost ~1 µs a row. The stage takes the chunk's rows that were
-- not published (an anti-join on their row numbers) and parses and transforms those again. The range
-- test is the one of check-range.sql (NOT BETWEEN also refuses NaN), on the box.
WITH routed AS NOT MATERIALIZED (
  SELECT c.row_number, c.source_id, c.attrs::jsonb AS attrs, c.area_m2, p.geom,
         coalesce(c.problem_code IS NULL AND GeometryType(p.geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsEmpty(p.geom)
                  AND ST_XMin(p.box) BETWEEN $2 AND $4 AND ST_XMax(p.box) BETWEEN $2 AND $4
                  AND ST_YMin(p.box) BETWEEN $3 AND $5 AND ST_YMax(p.box) BETWEEN $3 AND $5
                  AND (c.certified OR ST_IsValid(p.geom)), false) AS clean
  FROM lw_import_chunk c
  CROSS JOIN LATERAL (
    SELECT t.geom, box2d(t.geom) AS box
    FROM (SELECT CASE WHEN c.g IS NULL THEN NULL
                      WHEN $1::int = 4490 THEN ST_GeomFromWKB(c.g, 4490)
                      ELSE ST_Transform(ST_GeomFromWKB(c.g, $1::int), 4490) END AS geom
          OFFSET 0) t
    OFFSET 0
  ) p
),
published AS (
{{PUBLISH}}
),
staged AS (
  INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, width_m, problem_code, problem_msg)
  SELECT c.row_number, c.source_id, c.attrs::jsonb, c.g IS NOT NULL, CASE WHEN c.g IS NULL THEN NULL
              WHEN $1::int = 4490 THEN ST_GeomFromWKB(c.g, 4490)
              ELSE ST_Transform(ST_GeomFromWKB(c.g, $1::int), 4490) END,
         c.width_m, c.problem_code, c.problem_msg
  FROM lw_import_chunk c
  WHERE NOT EXISTS (SELECT 1 FROM published p WHERE p.row_number = c.row_number)
  RETURNING 1
)
SELECT (SELECT count(*) FROM published)::int AS published, (SELECT count(*) FROM staged)::int AS staged
