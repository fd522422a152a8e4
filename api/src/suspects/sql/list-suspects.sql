-- Suspects in id order after the cursor, filtered; every filter is optional (NULL = no filter).
-- $1 district code prefix, $2 rules (any of), $3 severities, $4 statuses, $5 minimum area m²,
-- $6 bbox [minLon, minLat, maxLon, maxLat] (EPSG:4490), $7 epoch, $8 is_new, $9 active, $10 cursor id,
-- $11 limit, $12 include the geometry as GeoJSON.
SELECT s.id, s.suspect_key, s.subject_kind, s.source_id, s.epoch, s.is_new, s.status, s.active, s.severity, s.rules,
       s.disposition, s.area_m2, s.overlap_m2, s.district_code, s.ruleset_version, s.last_run_id, s.updated_at,
       d.name AS district_name, d.level AS district_level,
       dc.code AS county_code, dc.name AS county_name, dt.code AS township_code, dt.name AS township_name,
       ST_X(c.pt) AS lon, ST_Y(c.pt) AS lat,
       ST_XMin(s.geom) AS xmin, ST_YMin(s.geom) AS ymin, ST_XMax(s.geom) AS xmax, ST_YMax(s.geom) AS ymax,
       CASE WHEN $12::boolean THEN ST_AsGeoJSON(s.geom, 8) END AS geometry
FROM suspect s
CROSS JOIN LATERAL (SELECT ST_Centroid(s.geom) AS pt) c
LEFT JOIN district d ON d.code = s.district_code
LEFT JOIN district dc ON dc.code = left(s.district_code, 6) || '000000' AND dc.level = 'county'
LEFT JOIN district dt ON dt.code = left(s.district_code, 9) || '000' AND dt.level = 'township'
WHERE ($1::text IS NULL OR s.district_code LIKE $1::text || '%')
  AND ($2::text[] IS NULL OR s.rules && $2::text[])
  AND ($3::text[] IS NULL OR s.severity = ANY($3::text[]))
  AND ($4::text[] IS NULL OR s.status = ANY($4::text[]))
  AND ($5::float8 IS NULL OR s.area_m2 >= $5::float8)
  AND ($6::float8[] IS NULL OR s.geom && ST_MakeEnvelope(($6::float8[])[1], ($6::float8[])[2], ($6::float8[])[3], ($6::float8[])[4], 4490))
  AND ($7::date IS NULL OR s.epoch = $7::date)
  AND ($8::boolean IS NULL OR s.is_new = $8::boolean)
  AND ($9::boolean IS NULL OR s.active = $9::boolean)
  AND ($10::bigint IS NULL OR s.id > $10::bigint)
ORDER BY s.id
LIMIT $11
