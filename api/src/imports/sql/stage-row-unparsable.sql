-- A row even the careful path could not stage: kept without geometry as GEOMETRY_PARSE_ERROR with the
-- database's message ($2); $3 = whether its attributes can be kept (false after they failed too).
INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, width_m, problem_code, problem_msg)
SELECT row_number, source_id, CASE WHEN $3::boolean THEN attrs::jsonb ELSE '{}'::jsonb END, true, NULL, width_m,
       'GEOMETRY_PARSE_ERROR', $2
FROM lw_import_chunk
WHERE row_number = $1
