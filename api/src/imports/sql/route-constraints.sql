-- The publishing insert of route-chunk.sql for a constraint layer (farmland, zones, permits, passages
-- …): the clean rows of the chunk into the new version's partition, with the layer's code and name
-- fields read from the attributes. $7 dataset id, $8 kind, $9/$11 code/name fields (may be NULL),
-- $10 code system.
INSERT INTO {{PARTITION}} (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
SELECT $7, $8, row_number, source_id, attrs ->> $9::text, $10, attrs ->> $11::text, attrs, ST_Multi(geom), coalesce(area_m2, ST_Area(geom::geography))
FROM routed WHERE clean
RETURNING row_number
