-- Registers one imagery date; the footprint arrives as GeoJSON in CGCS2000 lon/lat.
INSERT INTO imagery (name, acquired_on, files, band_map, srs, proj4, width, height, geotransform, resolution_m,
                     stretch, preview, footprint, sha256, notes, registered_by)
VALUES ($1, $2::date, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12::jsonb,
        ST_SetSRID(ST_GeomFromGeoJSON($13), 4490), $14, $15::jsonb, $16)
RETURNING id
