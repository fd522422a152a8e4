-- ZONE_USE (不符合规划用途): the part of each subject, permits already subtracted, on planning zones
-- whose use forbids building. Only those zones were loaded as pieces (codes matched by prefix, from the
-- ruleset), so any planning_zone overlap here is against the plan. Thresholds: $1 m², $2 share;
-- severity bands from $3 (general) and $4 (serious) m².
WITH ins AS (
  INSERT INTO lw_finding (sid, rule, matched_from, feature_ids, g, overlap_m2, share, severity)
  SELECT o.sid, 'ZONE_USE', 'constraint', o.feature_ids, o.g, o.m2, o.m2 / s.area_m2,
         CASE WHEN o.m2 >= $4::float8 THEN 'serious' WHEN o.m2 >= $3::float8 THEN 'general' ELSE 'light' END
  FROM lw_overlap o
  JOIN lw_subj s ON s.sid = o.sid
  WHERE o.kind = 'planning_zone'
    AND o.m2 > 0 AND o.m2 >= $1::float8 AND o.m2 / s.area_m2 >= $2::float8
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
