-- Coordinates outside the area of use ($1..$4 = min lon, min lat, max lon, max lat in EPSG:4490).
-- NOT BETWEEN also catches NaN and infinities (a failed transform can produce them).
UPDATE lw_import_stage SET
  reject_code = 'OUT_OF_RANGE',
  reject_detail = format('extent %s %s, %s %s', round(ST_XMin(geom)::numeric, 6), round(ST_YMin(geom)::numeric, 6),
                         round(ST_XMax(geom)::numeric, 6), round(ST_YMax(geom)::numeric, 6))
WHERE reject_code IS NULL
  AND (NOT (ST_XMin(geom) BETWEEN $1 AND $3) OR NOT (ST_XMax(geom) BETWEEN $1 AND $3)
       OR NOT (ST_YMin(geom) BETWEEN $2 AND $4) OR NOT (ST_YMax(geom) BETWEEN $2 AND $4))
