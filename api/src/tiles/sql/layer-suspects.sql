-- Active suspects in the tile, with the same filters as the suspect list (each NULL = no filter):
-- $6 rules (any of), $7 severities, $8 statuses, $9 district code prefix (digits only, validated),
-- $10 epoch, $11 minimum area in m².
SELECT s.id, s.severity, array_to_string(s.rules, ',') AS rules, s.status, s.is_new AS "isNew",
       s.district_code AS district, round(s.area_m2)::bigint AS "areaM2", s.geom
FROM suspect s
CROSS JOIN tile
WHERE s.active
  AND s.geom && tile.box
  AND ($6::text[] IS NULL OR s.rules && $6::text[])
  AND ($7::text[] IS NULL OR s.severity = ANY($7::text[]))
  AND ($8::text[] IS NULL OR s.status = ANY($8::text[]))
  AND ($9::text IS NULL OR s.district_code LIKE $9::text || '%')
  AND ($10::date IS NULL OR s.epoch = $10::date)
  AND ($11::float8 IS NULL OR s.area_m2 >= $11::float8)
