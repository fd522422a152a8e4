-- Extent of everything on the map (active datasets, districts, suspects): the initial view of a map
-- opened without a view in its URL. NULLs on an empty database.
SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
FROM (
  SELECT ST_Extent(g) AS e FROM (
    SELECT bbox AS g FROM dataset WHERE status = 'active' AND kind <> 'district'
    UNION ALL SELECT ST_Envelope(geom) FROM district WHERE level IN ('province', 'city', 'county')
    UNION ALL SELECT ST_Envelope(geom) FROM suspect WHERE active
  ) parts
) b
