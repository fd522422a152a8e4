-- Active suspects per district (NULL code = outside every district), with names and total area.
SELECT su.district_code AS code, d.name, count(*)::int AS suspects,
       count(*) FILTER (WHERE su.is_new)::int AS new_count, coalesce(sum(su.area_m2), 0) AS area_m2
FROM suspect su LEFT JOIN district d ON d.code = su.district_code
WHERE su.active
GROUP BY su.district_code, d.name
ORDER BY count(*) DESC, su.district_code NULLS LAST
