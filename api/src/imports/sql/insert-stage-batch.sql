-- One batch of rows into the stage as ONE JSON parameter ($1: [{r,s,a,g,w,pc,pm}, …]; cheaper to
-- send and parse than thousands of escaped array elements). g is hex WKB, already 2D (the importer
-- encodes it; PostGIS parses WKB ~10× faster than GeoJSON), tagged with the source SRID ($2) and
-- transformed to EPSG:4490 in the same pass.
-- It answers how many rows each later check will have work for ($3..$6 = the area of use, as in
-- check-range.sql), so that a clean file skips those passes over the whole stage; the counts are
-- supersets (a row counted for two checks is only rejected once).
-- Fast path: one bad row fails the whole statement, and the caller retries that batch row by row
-- with insert-stage-row-safe.sql.
WITH staged AS (
  INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, width_m, problem_code, problem_msg)
  SELECT r, s, a, g IS NOT NULL,
         CASE WHEN g IS NULL THEN NULL
              WHEN $2::int = 4490 THEN ST_GeomFromWKB(decode(g, 'hex'), 4490)
              ELSE ST_Transform(ST_GeomFromWKB(decode(g, 'hex'), $2::int), 4490) END,
         w, pc, pm
  FROM json_to_recordset($1::json) AS t(r int, s text, a jsonb, g text, w float8, pc text, pm text)
  RETURNING problem_code, geom
)
SELECT
  count(*) FILTER (WHERE problem_code IS NOT NULL OR geom IS NULL OR ST_IsEmpty(geom) OR ST_Dimension(geom) < 2)::int AS basic,
  count(*) FILTER (WHERE geom IS NOT NULL AND NOT (ST_XMin(geom) BETWEEN $3 AND $5 AND ST_XMax(geom) BETWEEN $3 AND $5
                                                 AND ST_YMin(geom) BETWEEN $4 AND $6 AND ST_YMax(geom) BETWEEN $4 AND $6))::int AS range,
  count(*) FILTER (WHERE geom IS NOT NULL AND (GeometryType(geom) = 'GEOMETRYCOLLECTION' OR NOT ST_IsValid(geom)))::int AS repair
FROM staged
