-- Rows of lw_permit_cover: each subject in scope that a permit piece touches, whether one piece covers
-- it whole, and the union of the pieces touching it (what load-subjects.sql subtracts). Searched from
-- the (few) permit pieces through the subject index rather than from every subject through the piece
-- index. A table of its own so that loading the subjects can run with parallel workers (an aggregate
-- joined into that statement kept its million-row joins in the leader).
-- $1 overlay grid size, $2 the subject datasets (only their partitions are read).
SELECT s.id AS sid, bool_or(ST_Covers(pc.geom, s.geom)) AS covered,
       ST_Union(pc.geom, $1::float8 ORDER BY pc.feature_id, ST_XMin(pc.geom), ST_YMin(pc.geom)) AS g
FROM lw_piece pc
JOIN subject s ON s.geom && pc.geom AND s.dataset_id = ANY($2::bigint[]) AND ST_Intersects(pc.geom, s.geom)
JOIN lw_scope sc ON sc.sid = s.id
WHERE pc.kind = 'permit'
GROUP BY s.id
