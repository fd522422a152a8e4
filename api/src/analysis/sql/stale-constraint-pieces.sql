-- How many of the datasets in $1 have no current pieces (see ensure-constraint-pieces.sql: $2 maximum
-- vertices per piece, $3 longest edge).
SELECT count(*)::int AS n
FROM unnest($1::bigint[]) AS d(id)
WHERE NOT EXISTS (SELECT 1 FROM constraint_piece_build b, constraint_version cur
                  WHERE b.dataset_id = d.id AND b.version = cur.version AND b.max_vertices = $2::int AND b.segment_max = $3::float8)
