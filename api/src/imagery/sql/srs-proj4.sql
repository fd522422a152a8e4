-- proj4 definition of an EPSG code from PostGIS's own catalogue; no row when unknown.
SELECT proj4text FROM spatial_ref_sys WHERE srid = $1 AND auth_name = 'EPSG' AND proj4text <> ''
