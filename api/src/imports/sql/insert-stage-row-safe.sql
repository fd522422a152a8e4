-- The slow, careful path for rows of a batch the fast path refused: a point PROJ cannot project
-- gives transform_failed instead of an error (lw_try_transform uses an exception block, a
-- subtransaction per call, hence not the default path). WKB the database cannot read fails this
-- statement too; the caller then stages the row without geometry as GEOMETRY_PARSE_ERROR.
INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, transform_failed, width_m, problem_code, problem_msg)
SELECT r, s, a, g IS NOT NULL OR pc = 'GEOMETRY_PARSE_ERROR',
       CASE WHEN $2::int = 4490 THEN parsed ELSE lw_try_transform(parsed, 4490) END,
       parsed IS NOT NULL AND $2::int <> 4490 AND lw_try_transform(parsed, 4490) IS NULL,
       w, pc, pm
FROM json_to_recordset($1::json) AS t(r int, s text, a jsonb, g text, w float8, pc text, pm text),
  LATERAL (SELECT CASE WHEN g IS NULL THEN NULL ELSE ST_GeomFromWKB(decode(g, 'hex'), $2::int) END AS parsed) p
