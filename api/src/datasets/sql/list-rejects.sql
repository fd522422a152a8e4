-- Every reject of a dataset, in row order, with the geometry as GeoJSON when it could be read.
SELECT row_number, source_id, code, message, layer, ST_AsGeoJSON(geom, 7) AS geometry
FROM import_reject
WHERE dataset_id = $1
ORDER BY row_number
