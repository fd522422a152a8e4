-- One batch of rows into the stage as ONE JSON parameter ($1: [{r,s,a,g,w,pc,pm}, …]; cheaper to
-- send and parse than thousands of escaped array elements). g is hex WKB, already 2D (the importer
-- encodes it; PostGIS parses WKB ~10× faster than GeoJSON), tagged with the source SRID ($2) and
-- transformed to EPSG:4490 in the same pass.
-- Fast path: one bad row fails the whole statement, and the caller retries that batch row by row
-- with insert-stage-row-safe.sql.
INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, width_m, problem_code, problem_msg)
SELECT r, s, a, g IS NOT NULL,
       CASE WHEN g IS NULL THEN NULL
            WHEN $2::int = 4490 THEN ST_GeomFromWKB(decode(g, 'hex'), 4490)
            ELSE ST_Transform(ST_GeomFromWKB(decode(g, 'hex'), $2::int), 4490) END,
       w, pc, pm
FROM json_to_recordset($1::json) AS t(r int, s text, a jsonb, g text, w float8, pc text, pm text)
