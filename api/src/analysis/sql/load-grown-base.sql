-- Rows of lw_grown_base: for each grown building in scope (matched to a baseline building with at
-- least the overlap ratio of "the same building", $2, and grown by at least $4 m² and $3 of its old
-- area), the union of every baseline footprint it touches: its added part is what lies outside them.
-- The one place that decides which buildings grew (load-subjects.sql reads it). A table of its own for
-- the same reason as lw_permit_cover.
-- $1 baseline building dataset ids, $5 overlay grid size, $6 the subject datasets.
SELECT mt.sid, ST_Union(o.geom, $5::float8 ORDER BY o.id) AS footprints
FROM lw_match mt
JOIN subject s ON s.id = mt.sid AND s.dataset_id = ANY($6::bigint[])
JOIN subject o ON o.geom && s.geom AND o.dataset_id = ANY($1::bigint[]) AND ST_Intersects(o.geom, s.geom)
WHERE mt.iou >= $2::float8 AND s.area_m2 - mt.b_m2 >= $4::float8 AND s.area_m2 - mt.b_m2 >= $3::float8 * mt.b_m2
GROUP BY mt.sid
