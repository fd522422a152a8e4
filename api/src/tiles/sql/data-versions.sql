-- The state of the tile_change log per source table (0004_tiles.sql): count and newest id together
-- change whenever a write commits, including one that took an older id but committed later.
SELECT source, count(*)::bigint AS n, max(id) AS last
FROM tile_change
GROUP BY source
