-- Counts and areas of active, not dismissed suspects per district of one level ($1), optionally under
-- a parent ($2 = the parent's significant code prefix). A suspect belongs to a unit when its district
-- code starts with the unit's prefix ($3 digits: county 6, township 9, village 12).
WITH units AS (
  SELECT code, name, level, parent_code, left(code, $3::int) AS prefix
  FROM district
  WHERE level = $1 AND ($2::text IS NULL OR code LIKE $2::text || '%')
), sus AS (
  SELECT s.id, left(s.district_code, $3::int) AS prefix, s.is_new, s.area_m2, s.severity
  FROM suspect s
  WHERE s.active AND s.status <> 'dismissed' AND s.district_code IS NOT NULL
), base AS (
  SELECT u.code, u.name, u.level, u.parent_code,
         count(s.id)::int AS total,
         count(s.id) FILTER (WHERE s.is_new)::int AS new_count,
         count(s.id) FILTER (WHERE NOT s.is_new)::int AS stock_count,
         coalesce(sum(s.area_m2), 0) AS area_m2,
         count(s.id) FILTER (WHERE s.severity = 'light')::int AS light,
         count(s.id) FILTER (WHERE s.severity = 'general')::int AS general,
         count(s.id) FILTER (WHERE s.severity = 'serious')::int AS serious
  FROM units u
  LEFT JOIN sus s ON s.prefix = u.prefix
  GROUP BY u.code, u.name, u.level, u.parent_code
), by_rule AS (
  SELECT u.code, f.rule, count(DISTINCT s.id)::int AS n, sum(f.overlap_m2) AS m2
  FROM units u
  JOIN sus s ON s.prefix = u.prefix
  JOIN finding f ON f.suspect_id = s.id
  GROUP BY u.code, f.rule
)
SELECT b.*,
       coalesce((SELECT jsonb_object_agg(r.rule, jsonb_build_object('count', r.n, 'areaM2', r.m2))
                 FROM by_rule r WHERE r.code = b.code), '{}'::jsonb) AS by_rule
FROM base b
ORDER BY b.code
