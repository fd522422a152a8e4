-- The subjects in scope, in one pass (updating a work table row by row would rewrite every row and
-- its index entries, several times): geometry, the best-matching baseline building, new/grown, the
-- permit-free footprint (eff) and what is new since the baseline (newpart: all of a new building or
-- change patch, the added part of a grown building).
-- $1 baseline building dataset ids ('{}' = no baseline), $2 overlap/union ratio of "the same
-- building", $3 growth share, $4 growth m², $5 whether any permit piece was loaded, $6 overlay grid size.
WITH base AS (
  SELECT u.sid, u.kind, u.suspect_key, u.epoch, u.source_id, s.geom, s.geom_hash, s.area_m2
  FROM lw_scope sc
  JOIN lw_universe u ON u.sid = sc.sid
  JOIN subject s ON s.id = u.sid
), matched AS (
  -- Best match by overlap / union. Most buildings are unchanged between surveys: a baseline building
  -- with the same geometry hash is a ratio of 1, found through a btree. Only the others search the
  -- baseline spatially; planar areas in degrees are fine for a ratio of areas a few metres apart.
  SELECT b.*, coalesce(eq.bid, m.bid) AS bid, coalesce(eq.iou, m.iou) AS iou, coalesce(eq.b_m2, m.b_m2) AS b_m2
  FROM base b
  LEFT JOIN LATERAL (
    SELECT o.id AS bid, o.area_m2 AS b_m2, 1.0::float8 AS iou
    FROM subject o
    WHERE b.kind = 'building' AND o.dataset_id = ANY($1::bigint[]) AND o.geom_hash = b.geom_hash
    ORDER BY o.id
    LIMIT 1
  ) eq ON true
  LEFT JOIN LATERAL (
    SELECT o.id AS bid, o.area_m2 AS b_m2,
           (SELECT CASE WHEN x.a + x.bb - x.i > 0 THEN x.i / (x.a + x.bb - x.i) ELSE 0 END
            FROM (SELECT ST_Area(ST_Intersection(b.geom, o.geom, $6::float8)) AS i, ST_Area(b.geom) AS a, ST_Area(o.geom) AS bb) x) AS iou
    FROM subject o
    WHERE b.kind = 'building' AND eq.bid IS NULL
      AND o.geom && b.geom AND o.dataset_id = ANY($1::bigint[]) AND ST_Intersects(o.geom, b.geom)
    ORDER BY iou DESC, o.id
    LIMIT 1
  ) m ON true
), classified AS (
  SELECT m.*,
         CASE WHEN m.kind = 'change_patch' THEN true
              ELSE cardinality($1::bigint[]) > 0 AND (m.iou IS NULL OR m.iou < $2::float8) END AS is_new,
         coalesce(m.kind = 'building' AND m.iou >= $2::float8
                  AND m.area_m2 - m.b_m2 >= $4::float8 AND m.area_m2 - m.b_m2 >= $3::float8 * m.b_m2, false) AS grown,
         p.covered, p.g AS permitted
  FROM matched m
  -- Area covered by an approval is legal: it is subtracted before any rule looks at the subject.
  LEFT JOIN LATERAL (
    SELECT bool_or(ST_Covers(pc.geom, m.geom)) AS covered,
           ST_Union(pc.geom, $6::float8 ORDER BY pc.feature_id, ST_XMin(pc.geom), ST_YMin(pc.geom)) AS g
    FROM lw_piece pc
    WHERE $5::boolean AND pc.kind = 'permit' AND pc.geom && m.geom AND ST_Intersects(pc.geom, m.geom)
  ) p ON true
), effective AS (
  SELECT c.*,
         CASE WHEN c.permitted IS NULL THEN c.geom
              WHEN c.covered THEN ST_SetSRID('MULTIPOLYGON EMPTY'::geometry, 4490)
              ELSE ST_Multi(ST_CollectionExtract(ST_Difference(c.geom, c.permitted, $6::float8), 3)) END AS eff
  FROM classified c
), ins AS (
  INSERT INTO lw_subj (sid, kind, suspect_key, epoch, source_id, geom, geom_hash, area_m2, match_id, match_iou,
                       old_area_m2, is_new, grown, eff, eff_whole, newpart)
  SELECT e.sid, e.kind, e.suspect_key, e.epoch, e.source_id, e.geom, e.geom_hash, e.area_m2, e.bid, e.iou, e.b_m2,
         e.is_new, e.grown, e.eff, e.permitted IS NULL,
         CASE
           WHEN e.is_new THEN e.eff
           -- A grown building: the part outside every baseline footprint it touches.
           WHEN e.grown THEN ST_Multi(ST_CollectionExtract(ST_Difference(e.eff, (
             SELECT ST_Union(o.geom, $6::float8 ORDER BY o.id) FROM subject o
             WHERE o.geom && e.geom AND o.dataset_id = ANY($1::bigint[]) AND ST_Intersects(o.geom, e.geom)), $6::float8), 3))
         END
  FROM effective e
  RETURNING is_new, grown, NOT eff_whole AS permitted
)
SELECT count(*)::int AS n, count(*) FILTER (WHERE is_new)::int AS new_count,
       count(*) FILTER (WHERE grown)::int AS grown_count, count(*) FILTER (WHERE permitted)::int AS permitted
FROM ins
