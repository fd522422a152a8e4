-- How many suspects an export will write (progress and the X-LandWatch-Rows header).
-- Same filters as export-rows.sql: $1 district prefix, $2 rules, $3 severities, $4 statuses, $5 active,
-- $6 minimum area m², $7 bbox [minLon, minLat, maxLon, maxLat], $8 epoch, $9 is_new.
SELECT count(*)::int AS n
FROM suspect s
WHERE ($1::text IS NULL OR s.district_code LIKE $1::text || '%')
  AND ($2::text[] IS NULL OR s.rules && $2::text[])
  AND ($3::text[] IS NULL OR s.severity = ANY($3::text[]))
  AND ($4::text[] IS NULL OR s.status = ANY($4::text[]))
  AND ($5::boolean IS NULL OR s.active = $5::boolean)
  AND ($6::float8 IS NULL OR s.area_m2 >= $6::float8)
  AND ($7::float8[] IS NULL OR s.geom && ST_MakeEnvelope(($7::float8[])[1], ($7::float8[])[2], ($7::float8[])[3], ($7::float8[])[4], 4490))
  AND ($8::date IS NULL OR s.epoch = $8::date)
  AND ($9::boolean IS NULL OR s.is_new = $9::boolean)
