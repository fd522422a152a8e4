-- The district layer changed: place every active suspect again (same choice as flag-subjects.sql);
-- $1 = overlay grid size.
WITH upd AS (
  UPDATE suspect su SET district_code = (
    SELECT d.code
    FROM district d
    WHERE d.geom && su.geom AND ST_Intersects(d.geom, su.geom)
    ORDER BY CASE d.level WHEN 'village' THEN 5 WHEN 'township' THEN 4 WHEN 'county' THEN 3 WHEN 'city' THEN 2 ELSE 1 END DESC,
             CASE WHEN ST_Within(su.geom, d.geom) THEN ST_Area(su.geom) ELSE ST_Area(ST_Intersection(su.geom, d.geom, $1::float8)) END DESC,
             d.code
    LIMIT 1)
  WHERE su.active
  RETURNING 1
)
SELECT count(*)::int AS n FROM upd
