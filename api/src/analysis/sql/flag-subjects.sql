-- One flag per subject with findings: its rules in catalogue order ($1), the worst severity, the
-- Art. 77 disposition (any rule in $2 means against the plan → demolish and restore), the largest
-- overlap, and its district: among the districts it touches the most detailed level (village before
-- township before county), and within it the one holding most of its area (planar areas rank
-- correctly at this scale); NULL when no district touches it. $3 = overlay grid size.
WITH agg AS (
  SELECT sid,
         array_agg(rule ORDER BY array_position($1::text[], rule)) AS rules,
         max(CASE severity WHEN 'serious' THEN 3 WHEN 'general' THEN 2 ELSE 1 END) AS sev,
         bool_or(rule = ANY($2::text[])) AS demolish,
         max(overlap_m2) AS overlap_m2
  FROM lw_finding
  GROUP BY sid
), ins AS (
  INSERT INTO lw_flag (sid, suspect_key, rules, severity, disposition, overlap_m2, district_code)
  SELECT a.sid, s.suspect_key, a.rules, (ARRAY['light', 'general', 'serious'])[a.sev],
         CASE WHEN a.demolish THEN 'DEMOLISH_RESTORE' ELSE 'CONFISCATE_OR_LEGALISE' END, a.overlap_m2,
         (SELECT d.code
          FROM district d
          WHERE d.geom && s.geom AND ST_Intersects(d.geom, s.geom)
          ORDER BY CASE d.level WHEN 'village' THEN 5 WHEN 'township' THEN 4 WHEN 'county' THEN 3 WHEN 'city' THEN 2 ELSE 1 END DESC,
                   CASE WHEN ST_Within(s.geom, d.geom) THEN ST_Area(s.geom) ELSE ST_Area(ST_Intersection(s.geom, d.geom, $3::float8)) END DESC,
                   d.code
          LIMIT 1)
  FROM agg a JOIN lw_subj s ON s.sid = a.sid
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
