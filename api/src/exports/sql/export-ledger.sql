-- Aggregates per suspect district (the leaf of the hierarchy, usually a village/community) for the
-- XLSX summary and community ledger (台账): counts, new/stock, area, severity split, and per rule
-- the suspects with a finding of it and their summed overlap (ellipsoidal m²). Filters $1–$9:
-- export-filter.sql.
WITH picked AS (
  SELECT s.id, s.district_code, s.area_m2, s.severity, s.is_new
  FROM suspect s
  WHERE {{EXPORT_FILTER}}
), leaf AS (
  SELECT district_code,
         count(*)::int AS total,
         count(*) FILTER (WHERE is_new)::int AS new_count,
         count(*) FILTER (WHERE NOT is_new)::int AS stock_count,
         coalesce(sum(area_m2), 0) AS area_m2,
         count(*) FILTER (WHERE severity = 'light')::int AS light,
         count(*) FILTER (WHERE severity = 'general')::int AS general,
         count(*) FILTER (WHERE severity = 'serious')::int AS serious
  FROM picked
  GROUP BY district_code
), by_rule AS (
  SELECT p.district_code, f.rule, count(DISTINCT p.id)::int AS n, sum(f.overlap_m2) AS m2
  FROM picked p
  JOIN finding f ON f.suspect_id = p.id
  GROUP BY p.district_code, f.rule
)
SELECT l.district_code, l.total, l.new_count, l.stock_count, l.area_m2, l.light, l.general, l.serious,
       d.name AS district_name, d.level AS district_level,
       dc.name AS county_name, dt.name AS township_name,
       CASE WHEN d.level = 'village' THEN d.name END AS village_name,
       coalesce((SELECT jsonb_object_agg(b.rule, jsonb_build_object('count', b.n, 'areaM2', b.m2))
                 FROM by_rule b WHERE b.district_code IS NOT DISTINCT FROM l.district_code), '{}'::jsonb) AS by_rule
FROM leaf l
LEFT JOIN district d ON d.code = l.district_code
LEFT JOIN district dc ON dc.code = left(l.district_code, 6) || '000000' AND dc.level = 'county'
LEFT JOIN district dt ON dt.code = left(l.district_code, 9) || '000' AND dt.level = 'township'
ORDER BY l.district_code NULLS LAST
