-- EXPANSION (违法扩建): a baseline building that grew beyond the ruleset's growth thresholds (decided
-- when subjects were loaded); the added part, permits subtracted, is what counts. The matched
-- "feature" is the baseline building it grew from. Thresholds: $1 m², $2 share; severity bands from
-- $3 (general) and $4 (serious) m².
WITH measured AS (
  SELECT sid, match_id, newpart AS g, ST_Area(newpart::geography) AS m2, area_m2
  FROM lw_subj
  WHERE grown AND newpart IS NOT NULL AND NOT ST_IsEmpty(newpart)
), ins AS (
  INSERT INTO lw_finding (sid, rule, matched_from, feature_ids, g, overlap_m2, share, severity)
  SELECT sid, 'EXPANSION', 'subject', ARRAY[match_id], g, m2, m2 / area_m2,
         CASE WHEN m2 >= $4::float8 THEN 'serious' WHEN m2 >= $3::float8 THEN 'general' ELSE 'light' END
  FROM measured
  WHERE m2 > 0 AND m2 >= $1::float8 AND m2 / area_m2 >= $2::float8
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
