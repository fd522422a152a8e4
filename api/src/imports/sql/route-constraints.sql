-- One chunk of a constraint layer (farmland, zones, permits, passages …): as route-subjects.sql, with
-- the layer's code and name fields read from the attributes. $1..$6 as there; $7 dataset id, $8 kind,
-- $9/$11 code/name fields (may be NULL), $10 code system.
-- The geometry and its box are computed once per row in a LATERAL subquery (OFFSET 0 keeps them from
-- being inlined into each of their uses below: ST_XMin(geom) four times costs twice the one box), and
-- the routed rows are materialized once, for the two inserts. The range test is the one of
-- check-range.sql (NOT BETWEEN also refuses NaN), on the box.
WITH routed AS MATERIALIZED (
  SELECT c.row_number, c.source_id, c.attrs::jsonb AS attrs, c.g IS NOT NULL AS has_geom, c.width_m,
         c.problem_code, c.problem_msg, p.geom,
         coalesce(c.problem_code IS NULL AND GeometryType(p.geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsEmpty(p.geom)
                  AND ST_XMin(p.box) BETWEEN $2 AND $4 AND ST_XMax(p.box) BETWEEN $2 AND $4
                  AND ST_YMin(p.box) BETWEEN $3 AND $5 AND ST_YMax(p.box) BETWEEN $3 AND $5
                  AND (NOT $6::boolean OR ST_IsValid(p.geom)), false) AS clean
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
  INSERT INTO {{PARTITION}} (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
  SELECT $7, $8, row_number, source_id, attrs ->> $9::text, $10, attrs ->> $11::text, attrs, ST_Multi(geom), ST_Area(geom::geography)
  FROM routed WHERE clean
  RETURNING 1
),
staged AS (
  INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, width_m, problem_code, problem_msg)
  SELECT row_number, source_id, attrs, has_geom, geom, width_m, problem_code, problem_msg
  FROM routed WHERE NOT clean
  RETURNING 1
)
SELECT (SELECT count(*) FROM published)::int AS published, (SELECT count(*) FROM staged)::int AS staged
