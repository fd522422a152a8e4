-- Accepted rows of a constraint layer into its new partition ($3/$5 = code/name fields, may be NULL).
INSERT INTO {{PARTITION}} (dataset_id, kind, row_number, source_id, code, code_system, name, attrs,
                                geom, source_geom, width_m, area_m2)
SELECT $1, $2, row_number, source_id, attrs ->> $3, $4, attrs ->> $5, attrs,
       ST_Multi(geom), source_geom, CASE WHEN source_geom IS NOT NULL THEN width_m END, ST_Area(geom::geography)
FROM lw_import_stage
WHERE reject_code IS NULL
ORDER BY row_number
