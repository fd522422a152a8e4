-- The findings (evidence) of one suspect in rule order, with the overlap geometry as GeoJSON.
SELECT f.id, f.rule, f.overlap_m2, f.overlap_mu, f.share, f.severity, f.matched, f.ruleset_version, f.ruleset_hash,
       f.run_id, f.created_at, ST_AsGeoJSON(f.overlap_geom, 8) AS geometry
FROM finding f
WHERE f.suspect_id = $1
ORDER BY array_position($2::text[], f.rule), f.id
