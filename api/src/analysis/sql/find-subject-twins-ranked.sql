-- Subject twins paired with copy numbers, for layers that hold identical copies (same layer, epoch,
-- source id and geometry more than once): the unique indexes on lw_twin refused a subject paired
-- twice by the plain pairing of find-twins.sql, whose subject rows this statement replaces. rk numbers the copies of each
-- (layer, epoch, source id, geometry) in row order, and copies pair up by it. $1 = ids of the versions
-- that went away, $2 = of those that appeared (only their partitions are read), $3 = baseline building
-- dataset ids.
WITH plain AS (
  DELETE FROM lw_twin WHERE what = 'subject'
), old_s AS (
  -- The geometry hash leads the sort key: nearly unique, so the other keys are seldom compared.
  SELECT s.id, d.kind, d.name, coalesce(d.epoch, '-infinity') AS epoch, s.source_id, s.geom_hash,
         row_number() OVER (PARTITION BY s.geom_hash COLLATE "C", s.source_id COLLATE "C", d.kind, d.name, d.epoch
                            ORDER BY s.row_number, s.id) AS rk
  FROM lw_changed_ds d JOIN subject s ON s.dataset_id = d.id
  WHERE NOT d.appeared AND s.dataset_id = ANY($1::bigint[])
), new_s AS (
  SELECT s.id, s.dataset_id, d.kind, d.name, coalesce(d.epoch, '-infinity') AS epoch, s.source_id, s.geom_hash,
         row_number() OVER (PARTITION BY s.geom_hash COLLATE "C", s.source_id COLLATE "C", d.kind, d.name, d.epoch
                            ORDER BY s.row_number, s.id) AS rk
  FROM lw_changed_ds d JOIN subject s ON s.dataset_id = d.id
  WHERE d.appeared AND s.dataset_id = ANY($2::bigint[])
), ins AS (
  INSERT INTO lw_twin (what, old_id, new_id, new_dataset_id)
  SELECT 'subject', o.id, n.id, n.dataset_id
  FROM old_s o
  -- Equalities the planner can hash (IS NOT DISTINCT FROM is not), compared bytewise (COLLATE "C").
  JOIN new_s n ON n.geom_hash COLLATE "C" = o.geom_hash COLLATE "C" AND n.rk = o.rk AND n.kind = o.kind
              AND n.name COLLATE "C" = o.name COLLATE "C" AND n.epoch = o.epoch
              AND (n.source_id IS NULL) = (o.source_id IS NULL) AND coalesce(n.source_id, '') COLLATE "C" = coalesce(o.source_id, '') COLLATE "C"
  RETURNING new_dataset_id
)
-- As count-twins.sql counts the subjects ($3 = baseline building dataset ids).
SELECT count(*)::int AS n, count(*) FILTER (WHERE new_dataset_id = ANY($3::bigint[]))::int AS nameable_subjects
FROM ins
