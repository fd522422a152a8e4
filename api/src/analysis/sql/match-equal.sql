-- Rows of lw_match — baseline matches, first pass: most buildings are unchanged between surveys, and a baseline building
-- with the same geometry hash is a ratio of 1. One hash join for all buildings in scope (the lowest id
-- wins: min over [id, m²] arrays). A work table of its own, with statistics, so that the next
-- statements join a million matches by hash rather than sort them (planned from a CTE, the match
-- count was guessed at 200 and a million rows went through sorts and merge joins). The hash comparison
-- names the "C" collation of subject's hash index (migration 0007), so that an incremental run's few
-- buildings probe it.
-- $1 baseline building dataset ids ('{}' = no baseline).
WITH eq AS (
  SELECT u.sid, min(ARRAY[o.id::float8, o.area_m2]) AS best
  FROM lw_scope u
  JOIN subject o ON o.geom_hash COLLATE "C" = u.geom_hash AND o.dataset_id = ANY($1::bigint[])
  WHERE u.kind = 'building'
  GROUP BY u.sid
)
SELECT sid, best[1]::bigint AS bid, 1.0::float8 AS iou, best[2] AS b_m2 FROM eq
