-- Features of one constraint layer in the tile (the `src` CTE of tile-mvt.sql / tile-features.sql).
-- $6 = kind. Only active layer versions are drawn; superseded ones stay in the table for history.
SELECT f.id, f.code, f.name, f.source_id AS "sourceId", f.geom
FROM constraint_feature f
JOIN dataset d ON d.id = f.dataset_id AND d.status = 'active'
CROSS JOIN tile
WHERE f.kind = $6::text
  AND f.geom && tile.box
