-- The slow, careful path for the rows of a chunk the route refused ($2..$3 = a row-number range, so a
-- failing range can be halved until the bad row is found): every row goes to the stage, and a point
-- PROJ cannot project gives transform_failed instead of an error (lw_try_transform uses an exception
-- block, a subtransaction per call, hence not the default path). WKB the database cannot read fails
-- this statement too; the caller then stages the row with stage-row-unparsable.sql.
INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, transform_failed, width_m, problem_code, problem_msg)
SELECT c.row_number, c.source_id, c.attrs::jsonb, c.g IS NOT NULL OR c.problem_code = 'GEOMETRY_PARSE_ERROR',
       CASE WHEN $1::int = 4490 THEN p.parsed ELSE lw_try_transform(p.parsed, 4490) END,
       p.parsed IS NOT NULL AND $1::int <> 4490 AND lw_try_transform(p.parsed, 4490) IS NULL,
       c.width_m, c.problem_code, c.problem_msg
FROM lw_import_chunk c,
  LATERAL (SELECT CASE WHEN c.g IS NULL THEN NULL ELSE ST_GeomFromWKB(c.g, $1::int) END AS parsed) p
WHERE c.row_number BETWEEN $2 AND $3
