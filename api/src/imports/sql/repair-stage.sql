-- Invalid polygons (self-intersections, bow-ties, bad rings) are repaired with ST_MakeValid and the
-- reason is kept; collections keep their polygonal part. Only rows that need it are rewritten.
UPDATE lw_import_stage SET
  repaired = NOT ST_IsValid(geom),
  repair_reason = CASE WHEN NOT ST_IsValid(geom) THEN ST_IsValidReason(geom) END,
  touched = true,
  geom = ST_CollectionExtract(ST_MakeValid(geom), 3)
WHERE reject_code IS NULL AND (GeometryType(geom) = 'GEOMETRYCOLLECTION' OR NOT ST_IsValid(geom))
