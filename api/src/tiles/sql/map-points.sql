-- One point per active suspect (a point on its surface, EPSG:4490) for the map's hexagon/heatmap view
-- at low zoom, with the same filters as the suspect tiles: $1 rules, $2 severities, $3 statuses,
-- $4 district code prefix, $5 epoch, $6 minimum area m²; $7 = most points returned.
SELECT s.id,
       ST_X(c.p) AS lon, ST_Y(c.p) AS lat,
       CASE s.severity WHEN 'light' THEN 0 WHEN 'general' THEN 1 WHEN 'serious' THEN 2 ELSE -1 END AS sev,
       round(s.area_m2)::bigint AS area
FROM suspect s
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(s.geom) AS p) c
WHERE s.active
  AND ($1::text[] IS NULL OR s.rules && $1::text[])
  AND ($2::text[] IS NULL OR s.severity = ANY($2::text[]))
  AND ($3::text[] IS NULL OR s.status = ANY($3::text[]))
  AND ($4::text IS NULL OR s.district_code LIKE $4::text || '%')
  AND ($5::date IS NULL OR s.epoch = $5::date)
  AND ($6::float8 IS NULL OR s.area_m2 >= $6::float8)
ORDER BY s.id
LIMIT $7
