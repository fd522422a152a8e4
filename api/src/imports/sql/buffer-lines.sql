-- Centre lines (public passages) become areas: buffered by half their width on each side, on the
-- ellipsoid (geography), flat ends so a road does not bulge past its end points. Native PostGIS hands
-- the geography buffer back as SRID 4326 (PGlite keeps 4490), hence the explicit ST_SetSRID.
UPDATE lw_import_stage SET
  source_geom = geom,
  geom = ST_SetSRID(ST_Buffer(geom::geography, width_m / 2.0, 'endcap=flat join=round')::geometry, 4490)
WHERE reject_code IS NULL AND ST_Dimension(geom) = 1
