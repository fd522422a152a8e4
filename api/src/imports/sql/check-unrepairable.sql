-- After repair: rows whose geometry was rewritten and is still empty, invalid or not an area are
-- rejected. Untouched rows were valid polygons already (repair-stage.sql tested them). With that test,
-- this is all the validity checking staged rows get: the partition has no CHECK on its geometry
-- (migration 0008).
UPDATE lw_import_stage SET reject_code = 'UNREPAIRABLE_GEOMETRY', reject_detail = coalesce(repair_reason, GeometryType(geom))
WHERE reject_code IS NULL AND touched
  AND (geom IS NULL OR ST_IsEmpty(geom) OR ST_Dimension(geom) <> 2 OR NOT ST_IsValid(geom) OR ST_Area(geom) = 0)
