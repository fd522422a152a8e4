-- The publishing insert of route-chunk.sql for a subject layer (buildings, change patches): the clean
-- rows of the chunk into the new version's partition, with the geometry hash that later tells a
-- changed footprint apart and the ellipsoidal area (computed in Node from a CGCS2000 Gauss-Krüger
-- source's grid, see crs/gk-area.calculator.ts; measured here otherwise). $6 dataset id, $7 kind, $8 epoch.
INSERT INTO {{PARTITION}} (dataset_id, kind, epoch, row_number, source_id, attrs, geom, geom_hash, area_m2)
SELECT $6, $7, $8::date, row_number, source_id, attrs, multi, md5(ST_AsBinary(multi)), coalesce(area_m2, ST_Area(geom::geography))
FROM (SELECT row_number, source_id, attrs, geom, ST_Multi(geom) AS multi, area_m2 FROM routed WHERE clean OFFSET 0) r
RETURNING row_number
