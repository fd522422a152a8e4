-- The subjects in scope (rows of lw_subj), in one pass (updating a work table row by row would rewrite every row and
-- its index entries, several times): geometry, the best-matching baseline building, new/grown, the
-- permit-free footprint (eff) and what is new since the baseline (newpart: all of a new building or
-- change patch, the added part of a grown building). Baseline matches come from lw_match
-- (match-equal.sql, match-spatial.sql).
-- $1 baseline building dataset ids ('{}' = no baseline), $2 overlap/union ratio of "the same
-- building", $3 growth share, $4 growth m², $5 whether any permit piece was loaded, $6 overlay grid size,
-- $7 the subject datasets (readScene; only their partitions are read, here and for permits).
WITH base AS (
  SELECT u.sid, u.kind, u.suspect_key, u.epoch, u.source_id, s.geom, s.geom_hash, s.area_m2
  FROM lw_scope u
  JOIN subject s ON s.id = u.sid AND s.dataset_id = u.dataset_id AND s.dataset_id = ANY($7::bigint[])
), matched AS (
  SELECT b.*, mt.bid, mt.iou, mt.b_m2 FROM base b LEFT JOIN lw_match mt ON mt.sid = b.sid
), permits AS (
  -- Permit pieces and the subjects in scope they touch, searched from the (few) permit pieces through
  -- the subject index rather than from every subject through the piece index.
  SELECT s.id AS sid, bool_or(ST_Covers(pc.geom, s.geom)) AS covered,
         ST_Union(pc.geom, $6::float8 ORDER BY pc.feature_id, ST_XMin(pc.geom), ST_YMin(pc.geom)) AS g
  FROM lw_piece pc
  JOIN subject s ON s.geom && pc.geom AND s.dataset_id = ANY($7::bigint[]) AND ST_Intersects(pc.geom, s.geom)
  JOIN lw_scope sc ON sc.sid = s.id
  WHERE $5::boolean AND pc.kind = 'permit'
  GROUP BY s.id
), classified AS (
  SELECT m.*,
         CASE WHEN m.kind = 'change_patch' THEN true
              ELSE cardinality($1::bigint[]) > 0 AND (m.iou IS NULL OR m.iou < $2::float8) END AS is_new,
         coalesce(m.kind = 'building' AND m.iou >= $2::float8
                  AND m.area_m2 - m.b_m2 >= $4::float8 AND m.area_m2 - m.b_m2 >= $3::float8 * m.b_m2, false) AS grown,
         p.covered, p.g AS permitted
  FROM matched m
  -- Area covered by an approval is legal: it is subtracted before any rule looks at the subject.
  LEFT JOIN permits p ON p.sid = m.sid
), effective AS (
  SELECT c.*,
         CASE WHEN c.permitted IS NULL THEN c.geom
              WHEN c.covered THEN ST_SetSRID('MULTIPOLYGON EMPTY'::geometry, 4490)
              ELSE ST_Multi(ST_CollectionExtract(ST_Difference(c.geom, c.permitted, $6::float8), 3)) END AS eff
  FROM classified c
)
SELECT e.sid, e.kind, e.suspect_key, e.epoch, e.source_id, e.geom, e.geom_hash, e.area_m2, e.bid AS match_id, e.iou AS match_iou,
       e.b_m2 AS old_area_m2, e.is_new, e.grown, e.eff, e.permitted IS NULL AS eff_whole,
       CASE
         WHEN e.is_new THEN e.eff
         -- A grown building: the part outside every baseline footprint it touches.
         WHEN e.grown THEN ST_Multi(ST_CollectionExtract(ST_Difference(e.eff, b.footprints, $6::float8), 3))
       END AS newpart
FROM effective e
-- The baseline footprints each grown building touches (the condition repeats 'grown' above: lw_match
-- holds buildings in scope only). A join, not a scalar subquery or a lateral one: either kept the
-- search in the leader, out of the parallel workers.
LEFT JOIN (
  SELECT mt.sid, ST_Union(o.geom, $6::float8 ORDER BY o.id) AS footprints
  FROM lw_match mt
  JOIN subject s ON s.id = mt.sid AND s.dataset_id = ANY($7::bigint[])
  JOIN subject o ON o.geom && s.geom AND o.dataset_id = ANY($1::bigint[]) AND ST_Intersects(o.geom, s.geom)
  WHERE mt.iou >= $2::float8 AND s.area_m2 - mt.b_m2 >= $4::float8 AND s.area_m2 - mt.b_m2 >= $3::float8 * mt.b_m2
  GROUP BY mt.sid
) b ON b.sid = e.sid AND e.grown
