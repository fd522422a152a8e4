-- Active, not dismissed suspects that no district holds.
SELECT count(*)::int AS total, coalesce(sum(area_m2), 0) AS area_m2
FROM suspect
WHERE active AND status <> 'dismissed' AND district_code IS NULL
