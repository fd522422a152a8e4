-- Rows of lw_flag — one flag per subject with findings: its rules in catalogue order ($1), the worst
-- severity, the Art. 77 disposition (any rule in $2 means against the plan → demolish and restore), the largest
-- overlap, and its district (lw_placed, see place-subjects.sql; NULL when no district touches it).
WITH agg AS (
  SELECT sid,
         array_agg(rule ORDER BY array_position($1::text[], rule)) AS rules,
         max(CASE severity WHEN 'serious' THEN 3 WHEN 'general' THEN 2 ELSE 1 END) AS sev,
         bool_or(rule = ANY($2::text[])) AS demolish,
         max(overlap_m2) AS overlap_m2
  FROM lw_finding
  GROUP BY sid
)
SELECT a.sid, s.suspect_key, a.rules, (ARRAY['light', 'general', 'serious'])[a.sev] AS severity,
       CASE WHEN a.demolish THEN 'DEMOLISH_RESTORE' ELSE 'CONFISCATE_OR_LEGALISE' END AS disposition, a.overlap_m2,
       pl.code AS district_code
FROM agg a JOIN lw_subj s ON s.sid = a.sid LEFT JOIN lw_placed pl ON pl.sid = a.sid
