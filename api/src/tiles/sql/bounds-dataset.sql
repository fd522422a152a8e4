-- Extent of the active versions of one layer kind ($1), from the bbox stored with each dataset
-- (cheap: no scan of the features). NULLs when the layer is empty.
SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
FROM (SELECT ST_Extent(bbox) AS e FROM dataset WHERE kind = $1::text AND status = 'active') b
