-- The publishing insert of route-chunk.sql for a constraint layer (farmland, zones, permits, passages
-- …): the clean rows of the chunk into the new version's partition, with the layer's code and name
-- fields read from the attributes. $6 dataset id, $7 kind, $8/$10 code/name fields (may be NULL),
-- $9 code system.
INSERT INTO {{PARTITION}} (dataset_id, kind, row_number, source_id, code, code_system, name, attrs, geom, area_m2)
SELECT $6, $7, row_number, source_id, attrs ->> $8::text, $9, attrs ->> $10::text, attrs, ST_Multi(geom), coalesce(area_m2, ST_Area(geom::geography))
FROM routed WHERE clean
RETURNING row_number
