-- The overlay (rows of lw_hit: sid, kind, feature_id, g, whole_m2): every subject (permits subtracted)
-- against every constraint piece it intersects, for the kinds in $1. A subject wholly inside a piece
-- is its own overlap, which skips most intersections (measured: ~15 % faster); when it is also its
-- whole footprint its area is already known (whole_m2). Empty results (touching at an edge only) are
-- removed by the next statement: tested here, the intersection would be computed twice (the planner
-- repeats a lateral expression wherever it is used).
-- $2 = overlay grid size, $3 = the subjects' dataset ids (only their partitions are searched).
SELECT s.sid, p.kind, p.feature_id, x.g, CASE WHEN x.within AND s.eff_whole THEN s.area_m2 END AS whole_m2
FROM lw_piece p
-- Driven from the pieces through the subject table's index (a footprint's box holds its permit-free
-- part's): fewer, larger probes than one per subject, measured ~2× faster. The pipeline keeps this
-- join order (join_collapse_limit = 1).
JOIN subject o ON o.geom && p.geom AND o.dataset_id = ANY($3::bigint[])
JOIN lw_subj s ON s.sid = o.id
-- The permit-free footprint: eff, or the footprint itself when no permit touches it (eff IS NULL).
CROSS JOIN LATERAL (SELECT coalesce(s.eff, o.geom) AS eff) e
CROSS JOIN LATERAL (SELECT ST_Within(e.eff, p.geom) AS within) w
CROSS JOIN LATERAL (SELECT w.within,
                           CASE WHEN w.within THEN e.eff
                                ELSE ST_CollectionExtract(ST_Intersection(e.eff, p.geom, $2::float8), 3) END AS g) x
WHERE p.kind = ANY($1::text[]) AND (s.eff IS NULL OR NOT ST_IsEmpty(s.eff)) AND ST_Intersects(p.geom, e.eff)
