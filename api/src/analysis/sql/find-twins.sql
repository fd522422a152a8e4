-- Rows of lw_twin — unchanged copies across versions of the same layer ("twins"): a re-import that changed 1 % of a
-- layer must not send 100 % of it back through the analysis. Features are twins when layer, geometry,
-- source id, code, name and attributes are equal (all of which the evidence shows); subjects when
-- layer, epoch, geometry and source id are equal. Each feature gets one fingerprint (an md5 as uuid:
-- it sorts by memcmp, not by collation) to join on; identical duplicate features pair up in row order
-- (rk). $1 = ids of the versions that went away, $2 = ids of those that appeared (lw_changed_ds),
-- named so that only their partitions are read: a join with lw_changed_ds alone scanned every version
-- of every layer, and one list for both sides read both versions on each side (at 1M buildings: 2M
-- rows probed, 2M pairs formed, 4.2 s). Rows of lw_twin (counted by count-twins.sql).
WITH old_f AS (
  SELECT id, fp, row_number() OVER (PARTITION BY fp ORDER BY row_number, id) AS rk
  FROM (SELECT f.id, f.row_number,
               md5(concat_ws('|', d.kind, quote_literal(d.name), quote_nullable(f.source_id), quote_nullable(f.code),
                             quote_nullable(f.name), f.attrs::text, md5(ST_AsBinary(f.geom))))::uuid AS fp
        FROM constraint_feature f JOIN lw_changed_ds d ON d.id = f.dataset_id AND NOT d.appeared
        WHERE d.kind <> 'district' AND f.dataset_id = ANY($1::bigint[])) x
), new_f AS (
  SELECT id, dataset_id, fp, row_number() OVER (PARTITION BY fp ORDER BY row_number, id) AS rk
  FROM (SELECT f.id, f.dataset_id, f.row_number,
               md5(concat_ws('|', d.kind, quote_literal(d.name), quote_nullable(f.source_id), quote_nullable(f.code),
                             quote_nullable(f.name), f.attrs::text, md5(ST_AsBinary(f.geom))))::uuid AS fp
        FROM constraint_feature f JOIN lw_changed_ds d ON d.id = f.dataset_id AND d.appeared
        WHERE d.kind <> 'district' AND f.dataset_id = ANY($2::bigint[])) x
), old_s AS (
  -- Subjects are many (a million buildings): they pair by one hash join on the stored geometry hash
  -- and the other fields, without fingerprints and without numbering copies: identical copies within
  -- a layer are rare, and the unique indexes the pipeline then builds on lw_twin notice them (a
  -- subject paired twice), after which the subject pairs are redone with copy numbers
  -- (find-subject-twins-ranked.sql).
  SELECT s.id, d.kind, d.name, coalesce(d.epoch, '-infinity') AS epoch, s.source_id, s.geom_hash
  FROM lw_changed_ds d JOIN subject s ON s.dataset_id = d.id
  WHERE NOT d.appeared AND s.dataset_id = ANY($1::bigint[])
), new_s AS (
  SELECT s.id, s.dataset_id, d.kind, d.name, coalesce(d.epoch, '-infinity') AS epoch, s.source_id, s.geom_hash
  FROM lw_changed_ds d JOIN subject s ON s.dataset_id = d.id
  WHERE d.appeared AND s.dataset_id = ANY($2::bigint[])
)
SELECT 'feature'::text AS what, o.id AS old_id, n.id AS new_id, n.dataset_id AS new_dataset_id
FROM old_f o JOIN new_f n ON n.fp = o.fp AND n.rk = o.rk
UNION ALL
SELECT 'subject', o.id, n.id, n.dataset_id
FROM old_s o
-- Equalities the planner can hash (IS NOT DISTINCT FROM is not), compared bytewise (COLLATE "C").
JOIN new_s n ON n.geom_hash COLLATE "C" = o.geom_hash COLLATE "C" AND n.kind = o.kind
            AND n.name COLLATE "C" = o.name COLLATE "C" AND n.epoch = o.epoch
            AND (n.source_id IS NULL) = (o.source_id IS NULL) AND coalesce(n.source_id, '') COLLATE "C" = coalesce(o.source_id, '') COLLATE "C"
