-- Active suspects per rule (a suspect with two rules counts under both), with the rule's overlap m².
SELECT fi.rule, count(DISTINCT su.id)::int AS suspects, coalesce(sum(fi.overlap_m2), 0) AS overlap_m2
FROM suspect su JOIN finding fi ON fi.suspect_id = su.id
WHERE su.active
GROUP BY fi.rule
ORDER BY fi.rule
