-- EXPANSION (违法扩建): a baseline building that grew beyond the ruleset's growth thresholds (decided
-- when subjects were loaded); the added part, permits subtracted, is what counts. The matched
-- "feature" is the baseline building it grew from. Thresholds: $1 m², $2 share; severity bands from
-- $3 (general) and $4 (serious) m². Rows of lw_finding (appendFindings).
WITH measured AS (
  SELECT sid, match_id, newpart AS g, ST_Area(newpart::geography) AS m2, area_m2
  FROM lw_subj
  WHERE grown AND newpart IS NOT NULL AND NOT ST_IsEmpty(newpart)
)
SELECT sid, 'EXPANSION' AS rule, 'subject' AS matched_from, ARRAY[match_id] AS feature_ids, g, m2 AS overlap_m2, m2 / area_m2 AS share,
       CASE WHEN m2 >= $4::float8 THEN 'serious' WHEN m2 >= $3::float8 THEN 'general' ELSE 'light' END AS severity
FROM measured
WHERE m2 > 0 AND m2 >= $1::float8 AND m2 / area_m2 >= $2::float8
