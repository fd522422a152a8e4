-- FARMLAND (占用永久基本农田): the part of each subject, permits already subtracted, that lies on basic_farmland
-- features. Fires when the overlap reaches $1 m² (ellipsoidal) and $2 of the subject's area; severity bands
-- from $3 (general) and $4 (serious) m².
WITH ins AS (
  INSERT INTO lw_finding (sid, rule, matched_from, feature_ids, g, overlap_m2, share, severity)
  SELECT o.sid, 'FARMLAND', 'constraint', o.feature_ids, o.g, o.m2, o.m2 / s.area_m2,
         CASE WHEN o.m2 >= $4::float8 THEN 'serious' WHEN o.m2 >= $3::float8 THEN 'general' ELSE 'light' END
  FROM lw_overlap o
  JOIN lw_subj s ON s.sid = o.sid
  WHERE o.kind = 'basic_farmland'
    AND o.m2 > 0 AND o.m2 >= $1::float8 AND o.m2 / s.area_m2 >= $2::float8
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
