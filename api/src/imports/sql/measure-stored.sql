-- Rows really stored in the new version's partition ({{PARTITION}}, attached by now) and their extent,
-- read apart from finish-dataset.sql: a plain SELECT on the partition itself scans it with parallel
-- workers, where an UPDATE … FROM never does and the parent, for a table without statistics yet,
-- is planned as a bitmap scan (1M buildings: 0.23 s instead of 0.46 s). The service compares the
-- count with the rows it routed and published (PGlite can drop rows of a statement silently where
-- native PostGIS raises a GEOS error). Extent NULL when nothing is stored.
SELECT m.n, ST_XMin(m.e) AS xmin, ST_YMin(m.e) AS ymin, ST_XMax(m.e) AS xmax, ST_YMax(m.e) AS ymax
FROM (SELECT count(*)::int AS n, ST_Extent(geom) AS e FROM {{PARTITION}}) m
