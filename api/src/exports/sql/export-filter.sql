-- The filters every suspect export shares (rows, ledger, count), as one predicate on `suspect s`;
-- spliced into those queries where they say {{EXPORT_FILTER}}. NULL = no filter:
--   $1 district code prefix, $2 rules (any of), $3 severities, $4 statuses, $5 active,
--   $6 minimum area m², $7 bbox [minLon, minLat, maxLon, maxLat] (EPSG:4490), $8 epoch, $9 is_new.
($1::text IS NULL OR s.district_code LIKE $1::text || '%')
  AND ($2::text[] IS NULL OR s.rules && $2::text[])
  AND ($3::text[] IS NULL OR s.severity = ANY($3::text[]))
  AND ($4::text[] IS NULL OR s.status = ANY($4::text[]))
  AND ($5::boolean IS NULL OR s.active = $5::boolean)
  AND ($6::float8 IS NULL OR s.area_m2 >= $6::float8)
  AND ($7::float8[] IS NULL OR s.geom && ST_MakeEnvelope(($7::float8[])[1], ($7::float8[])[2], ($7::float8[])[3], ($7::float8[])[4], 4490))
  AND ($8::date IS NULL OR s.epoch = $8::date)
  AND ($9::boolean IS NULL OR s.is_new = $9::boolean)
