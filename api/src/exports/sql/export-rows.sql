-- The rows of a suspect export, one per suspect, in district-code order then id, so the rows of one
-- district come together: the detail sheet reads like a ledger, and a by-district export cuts this
-- one stream into files without a query per district.
-- Filters $1–$9: export-filter.sql (shared with export-ledger.sql and export-count.sql).
-- Output: $10 SRID of the geometry (4490 = as stored, else a CGCS2000 GK zone, via ST_Transform),
--   $11 include the geometry, $12 its decimal digits.
WITH picked AS (
  SELECT s.*
  FROM suspect s
  WHERE {{EXPORT_FILTER}}
)
SELECT s.id, s.source_id, s.district_code,
       d.name AS district_name, d.level AS district_level,
       dc.name AS county_name, dt.name AS township_name,
       CASE WHEN d.level = 'village' THEN d.name END AS village_name,
       ST_X(c.pt) AS lon, ST_Y(c.pt) AS lat,
       s.subject_kind, s.epoch, s.is_new, s.area_m2,
       -- Overlap areas of the four constraint rules, from the suspect's current evidence (ellipsoidal m²).
       coalesce(o.farmland_m2, 0) AS farmland_m2,
       coalesce(o.cultivated_m2, 0) AS cultivated_m2,
       coalesce(o.passage_m2, 0) AS passage_m2,
       coalesce(o.redline_m2, 0) AS redline_m2,
       s.rules, s.severity, s.disposition, s.status, s.ruleset_version,
       coalesce(r.finished_at, r.started_at) AS analysed_at,
       CASE WHEN $11::boolean THEN
         -- Exterior rings counter-clockwise: RFC 7946's right-hand rule (Shapefile rings are re-oriented
         -- by its writer). Option 0: no `crs` member, which PostGIS would add for any SRID but 4326.
         ST_AsGeoJSON(ST_ForcePolygonCCW(CASE WHEN $10::int = 4490 THEN s.geom ELSE ST_Transform(s.geom, $10::int) END), $12::int, 0)
       END AS geometry
FROM picked s
CROSS JOIN LATERAL (SELECT ST_Centroid(s.geom) AS pt) c
LEFT JOIN LATERAL (
  SELECT sum(f.overlap_m2) FILTER (WHERE f.rule = 'FARMLAND') AS farmland_m2,
         sum(f.overlap_m2) FILTER (WHERE f.rule = 'CULTIVATED') AS cultivated_m2,
         sum(f.overlap_m2) FILTER (WHERE f.rule = 'PASSAGE') AS passage_m2,
         sum(f.overlap_m2) FILTER (WHERE f.rule = 'ECO_REDLINE') AS redline_m2
  FROM finding f
  WHERE f.suspect_id = s.id
) o ON true
LEFT JOIN district d ON d.code = s.district_code
LEFT JOIN district dc ON dc.code = left(s.district_code, 6) || '000000' AND dc.level = 'county'
LEFT JOIN district dt ON dt.code = left(s.district_code, 9) || '000' AND dt.level = 'township'
LEFT JOIN analysis_run r ON r.id = s.last_run_id
ORDER BY s.district_code NULLS LAST, s.id
