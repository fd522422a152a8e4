-- NO_PERMIT (未批先建): a building new since the baseline, or an imagery change patch (new by nature:
-- the ministry's tables count 未批已建 per patch), minus the area permits cover. Grown buildings are
-- EXPANSION's (the same added area must not be reported twice). Thresholds: $1 m², $2 share;
-- severity bands from $3 (general) and $4 (serious) m². Without a permit the new part is the whole
-- footprint, whose area is known.
WITH measured AS (
  SELECT sid, newpart AS g, area_m2,
         CASE WHEN eff_whole THEN area_m2 ELSE ST_Area(newpart::geography) END AS m2
  FROM lw_subj
  WHERE is_new AND newpart IS NOT NULL AND NOT ST_IsEmpty(newpart)
), ins AS (
  INSERT INTO lw_finding (sid, rule, matched_from, feature_ids, g, overlap_m2, share, severity)
  SELECT sid, 'NO_PERMIT', 'none', '{}', g, m2, m2 / area_m2,
         CASE WHEN m2 >= $4::float8 THEN 'serious' WHEN m2 >= $3::float8 THEN 'general' ELSE 'light' END
  FROM measured
  WHERE m2 > 0 AND m2 >= $1::float8 AND m2 / area_m2 >= $2::float8
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
