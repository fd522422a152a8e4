-- Administrative districts in the tile. $6 = levels to draw (NULL = all). The 12-digit code doubles
-- as the MVT feature id (codes stay below 2^53), so the map can use feature-state on districts.
SELECT d.code::bigint AS id, d.code, d.name, d.level, d.geom
FROM district d
CROSS JOIN tile
WHERE d.geom && tile.box
  AND ($6::text[] IS NULL OR d.level = ANY($6::text[]))
