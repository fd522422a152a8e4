-- Reader problems, missing, unparsable and empty geometry, and geometry types the kind cannot take
-- ($1 = whether centre lines are accepted).
UPDATE lw_import_stage SET
  reject_code = CASE
    WHEN problem_code IS NOT NULL THEN problem_code
    WHEN NOT has_geom THEN 'NULL_GEOMETRY'
    WHEN transform_failed THEN 'TRANSFORM_FAILED'
    WHEN geom IS NULL THEN 'GEOMETRY_PARSE_ERROR'
    WHEN ST_IsEmpty(geom) THEN 'EMPTY_GEOMETRY'
    ELSE 'WRONG_GEOMETRY_TYPE' END,
  reject_detail = CASE
    WHEN problem_code IS NOT NULL THEN problem_msg
    WHEN geom IS NOT NULL AND NOT ST_IsEmpty(geom) THEN GeometryType(geom) END
WHERE reject_code IS NULL
  AND (problem_code IS NOT NULL
       OR geom IS NULL
       OR ST_IsEmpty(geom)
       OR ST_Dimension(geom) = 0
       OR (ST_Dimension(geom) = 1 AND NOT $1::boolean))
