-- Keeps the tile_change log short: drops rows older than $1 seconds except the newest per source.
-- Rows of writers still in flight are invisible here and survive, so no change is ever lost.
DELETE FROM tile_change c
WHERE c.at < clock_timestamp() - make_interval(secs => $1::float8)
  AND c.id < (SELECT max(n.id) FROM tile_change n WHERE n.source = c.source)
