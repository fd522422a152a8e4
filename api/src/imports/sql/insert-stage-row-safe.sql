-- The slow, careful path for rows of a batch the fast path refused: unparsable GeoJSON gives NULL
-- (GEOMETRY_PARSE_ERROR later) and a point PROJ cannot project gives transform_failed, instead of an
-- error. lw_try_* use exception blocks (a subtransaction per call), hence not the default path.
INSERT INTO lw_import_stage (row_number, source_id, attrs, geom_json, geom, transform_failed, width_m, problem_code, problem_msg)
SELECT r, s, a, g,
       CASE WHEN $2::int = 4490 THEN parsed ELSE lw_try_transform(parsed, 4490) END,
       parsed IS NOT NULL AND $2::int <> 4490 AND lw_try_transform(parsed, 4490) IS NULL,
       w, pc, pm
FROM json_to_recordset($1::json) AS t(r int, s text, a jsonb, g text, w float8, pc text, pm text),
  LATERAL (SELECT CASE WHEN g IS NULL THEN NULL ELSE ST_SetSRID(ST_Force2D(lw_try_geojson(g)), $2::int) END AS parsed) p
