-- CULTIVATED (占用耕地): the overlap with cultivated land (0101/0102/0103, loaded by prefix from the
-- ruleset) that is NOT basic farmland: basic farmland is FARMLAND's business, and counting it twice
-- would double the area. Matched features are the cultivated parcels that still contribute after the
-- subtraction. Thresholds: $1 m², $2 share;
-- severity bands from $3 (general) and $4 (serious) m²; $5 overlay grid size.
WITH c AS (
  SELECT o.sid, o.feature_ids, o.g, o.m2, f.g AS farm
  FROM lw_overlap o
  LEFT JOIN lw_overlap f ON f.sid = o.sid AND f.kind = 'basic_farmland'
  WHERE o.kind = 'cultivated_land'
), rest AS (
  SELECT sid, feature_ids, farm IS NULL AS whole, m2,
         CASE WHEN farm IS NULL THEN g ELSE ST_Multi(ST_CollectionExtract(ST_Difference(g, farm, $5::float8), 3)) END AS g
  FROM c
), measured AS (
  SELECT sid, feature_ids, whole, g, CASE WHEN whole THEN m2 ELSE ST_Area(g::geography) END AS m2
  FROM rest
  WHERE NOT ST_IsEmpty(g)
), ins AS (
  INSERT INTO lw_finding (sid, rule, matched_from, feature_ids, g, overlap_m2, share, severity)
  SELECT m.sid, 'CULTIVATED', 'constraint',
         CASE WHEN m.whole THEN m.feature_ids ELSE coalesce((
           SELECT array_agg(DISTINCT h.feature_id ORDER BY h.feature_id)
           FROM lw_hit h
           WHERE h.sid = m.sid AND h.kind = 'cultivated_land'
             AND ST_Area(ST_CollectionExtract(ST_Intersection(h.g, m.g, $5::float8), 3)::geography) >= 0.01
         ), '{}') END,
         m.g, m.m2, m.m2 / s.area_m2,
         CASE WHEN m.m2 >= $4::float8 THEN 'serious' WHEN m.m2 >= $3::float8 THEN 'general' ELSE 'light' END
  FROM measured m
  JOIN lw_subj s ON s.sid = m.sid
  WHERE m.m2 > 0 AND m.m2 >= $1::float8 AND m.m2 / s.area_m2 >= $2::float8
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
