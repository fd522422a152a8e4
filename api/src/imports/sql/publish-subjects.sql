-- Accepted rows of a subject layer (buildings, change patches) into its new partition, with a geometry hash
-- that later tells a changed footprint apart.
INSERT INTO {{PARTITION}} (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
SELECT $1, $2, $3::date, row_number, source_id, attrs, ST_Multi(geom), md5(ST_AsBinary(ST_Multi(geom))),
       ST_Area(geom::geography)
FROM lw_import_stage
WHERE reject_code IS NULL
ORDER BY row_number
