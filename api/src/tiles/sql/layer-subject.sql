-- Buildings or change patches in the tile. $6 = kind, $7 = epoch (NULL = every epoch).
SELECT s.id, s.source_id AS "sourceId", s.epoch::text AS epoch, s.geom
FROM subject s
JOIN dataset d ON d.id = s.dataset_id AND d.status = 'active'
CROSS JOIN tile
WHERE s.kind = $6::text
  AND s.geom && tile.box
  AND ($7::date IS NULL OR s.epoch = $7::date)
