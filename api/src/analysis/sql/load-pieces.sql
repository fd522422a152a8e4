-- Rows of lw_piece: the pieces (constraint_piece, kept between runs: ensure-constraint-pieces.sql) of
-- the active datasets $4 of the kinds the enabled rules need ($1): all of them ($5 = true, a full run)
-- or those near some subject in scope (found from the few subjects of an incremental run through the
-- pieces' one spatial index, then looked up by id). Planning zones keep only uses that forbid building
-- ($2, matched by prefix) and cultivated land only the cultivated codes ($3, by prefix). $6 = the
-- subject datasets (readScene; only their partitions are read).
SELECT p.kind, p.feature_id, p.geom
FROM constraint_piece p
WHERE p.dataset_id = ANY($4::bigint[]) AND p.kind = ANY($1::text[])
  AND (p.kind <> 'planning_zone' OR EXISTS (SELECT 1 FROM unnest($2::text[]) c WHERE left(p.code, length(c)) = c))
  AND (p.kind <> 'cultivated_land' OR EXISTS (SELECT 1 FROM unnest($3::text[]) c WHERE left(p.code, length(c)) = c))
  AND ($5::boolean OR p.id IN (SELECT n.id
                               FROM lw_scope sc
                               JOIN subject s ON s.id = sc.sid AND s.dataset_id = ANY($6::bigint[])
                               JOIN constraint_piece n ON n.geom && s.geom))
