-- The subjects in scope (rows of lw_subj), in one pass (updating a work table row by row would
-- rewrite every row and its index entries, several times): geometry, the best-matching baseline
-- building, new/grown, the permit-free footprint (eff; NULL when it is the whole footprint) and what
-- is new since the baseline (newpart: all of a new building or change patch, the added part of a
-- grown building). Baseline matches come from lw_match
-- (match-equal.sql, match-spatial.sql), permits from lw_permit_cover, the baseline footprints of grown
-- buildings from lw_grown_base: with no aggregate of its own, the statement's million-row joins can run
-- with parallel workers.
-- $1 baseline building dataset ids ('{}' = no baseline), $2 overlap/union ratio of "the same
-- building", $3 overlay grid size, $4 the subject datasets (readScene; only their partitions are read).
WITH base AS (
  SELECT u.sid, u.kind, u.suspect_key, u.epoch, u.source_id, s.geom, s.geom_hash, s.area_m2
  FROM lw_scope u
  JOIN subject s ON s.id = u.sid AND s.dataset_id = u.dataset_id AND s.dataset_id = ANY($4::bigint[])
), matched AS (
  SELECT b.*, mt.bid, mt.iou, mt.b_m2 FROM base b LEFT JOIN lw_match mt ON mt.sid = b.sid
), classified AS (
  SELECT m.*,
         CASE WHEN m.kind = 'change_patch' THEN true
              ELSE cardinality($1::bigint[]) > 0 AND (m.iou IS NULL OR m.iou < $2::float8) END AS is_new,
         -- Grown buildings are those lw_grown_base holds (load-grown-base.sql decides, and every grown
         -- building touches the baseline building it grew from).
         g.sid IS NOT NULL AS grown, g.footprints,
         p.covered, p.g AS permitted
  FROM matched m
  LEFT JOIN lw_grown_base g ON g.sid = m.sid
  -- Area covered by an approval is legal: it is subtracted before any rule looks at the subject.
  LEFT JOIN lw_permit_cover p ON p.sid = m.sid
), effective AS (
  SELECT c.*,
         -- The whole footprint is the common case: left NULL (the overlay reads the footprint from subject),
         -- which spares writing a second copy of a million footprints.
         CASE WHEN c.permitted IS NULL THEN NULL::geometry
              WHEN c.covered THEN ST_SetSRID('MULTIPOLYGON EMPTY'::geometry, 4490)
              ELSE ST_Multi(ST_CollectionExtract(ST_Difference(c.geom, c.permitted, $3::float8), 3)) END AS eff
  FROM classified c
)
SELECT e.sid, e.kind, e.suspect_key, e.epoch, e.source_id, e.geom, e.geom_hash, e.area_m2, e.bid AS match_id, e.iou AS match_iou,
       e.b_m2 AS old_area_m2, e.is_new, e.grown, e.eff, e.permitted IS NULL AS eff_whole,
       CASE
         WHEN e.is_new THEN coalesce(e.eff, e.geom)
         -- A grown building: the part outside every baseline footprint it touches.
         WHEN e.grown THEN ST_Multi(ST_CollectionExtract(ST_Difference(coalesce(e.eff, e.geom), e.footprints, $3::float8), 3))
       END AS newpart
FROM effective e
