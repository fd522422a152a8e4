-- The datasets of $1 without current pieces (no build record with the current constraint_version,
-- $2 maximum vertices per piece and $3 longest edge: ensure-constraint-pieces.sql), as an array (empty
-- when every layer's pieces are current).
SELECT coalesce(array_agg(d.id ORDER BY d.id), '{}') AS ids
FROM unnest($1::bigint[]) AS d(id)
WHERE NOT EXISTS (SELECT 1 FROM constraint_piece_build b, constraint_version cur
                  WHERE b.dataset_id = d.id AND b.version = cur.version AND b.max_vertices = $2::int AND b.segment_max = $3::float8)
