-- Imagery rows with their footprint bbox; filtered by id, by sha256, by date range and by a lon/lat
-- box (each filter off when its parameter is NULL), newest acquisition first.
SELECT i.id, i.name, to_char(i.acquired_on, 'YYYY-MM-DD') AS acquired_on, i.files, i.band_map, i.srs, i.proj4,
       i.width, i.height, i.geotransform, i.resolution_m, i.stretch, i.preview, i.sha256, i.notes,
       i.registered_at, i.registered_by,
       ST_XMin(i.footprint) AS xmin, ST_YMin(i.footprint) AS ymin, ST_XMax(i.footprint) AS xmax, ST_YMax(i.footprint) AS ymax
FROM imagery i
WHERE ($1::bigint IS NULL OR i.id = $1)
  AND ($2::text IS NULL OR i.sha256 = $2)
  AND ($3::date IS NULL OR i.acquired_on >= $3::date)
  AND ($4::date IS NULL OR i.acquired_on <= $4::date)
  AND ($5::double precision IS NULL
       OR ST_Intersects(i.footprint, ST_MakeEnvelope($5, $6, $7, $8, 4490)))
ORDER BY i.acquired_on DESC, i.id DESC
LIMIT $9
