-- One suspect by id (no row when unknown), with its district names and geometry as GeoJSON.
SELECT s.id, s.suspect_key, s.subject_kind, s.source_id, s.epoch, s.is_new, s.status, s.active, s.severity, s.rules,
       s.disposition, s.area_m2, s.overlap_m2, s.district_code, s.ruleset_version, s.last_run_id, s.updated_at,
       d.name AS district_name, d.level AS district_level,
       dc.code AS county_code, dc.name AS county_name, dt.code AS township_code, dt.name AS township_name,
       ST_X(c.pt) AS lon, ST_Y(c.pt) AS lat,
       ST_XMin(s.geom) AS xmin, ST_YMin(s.geom) AS ymin, ST_XMax(s.geom) AS xmax, ST_YMax(s.geom) AS ymax,
       ST_AsGeoJSON(s.geom, 8) AS geometry
FROM suspect s
CROSS JOIN LATERAL (SELECT ST_Centroid(s.geom) AS pt) c
LEFT JOIN district d ON d.code = s.district_code
LEFT JOIN district dc ON dc.code = left(s.district_code, 6) || '000000' AND dc.level = 'county'
LEFT JOIN district dt ON dt.code = left(s.district_code, 9) || '000' AND dt.level = 'township'
WHERE s.id = $1
