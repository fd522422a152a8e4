-- Unchanged copies across versions of the same layer ("twins"): a re-import that changed 1 % of a
-- layer must not send 100 % of it back through the analysis. Features are twins when layer, geometry,
-- source id, code, name and attributes are equal (all of which the evidence shows); subjects when
-- layer, epoch, geometry and source id are equal. Each feature gets one fingerprint (an md5 as uuid:
-- it sorts by memcmp, not by collation) to join on; identical duplicates pair up in row order (rk).
WITH old_f AS (
  SELECT id, fp, row_number() OVER (PARTITION BY fp ORDER BY row_number, id) AS rk
  FROM (SELECT f.id, f.row_number,
               md5(concat_ws('|', d.kind, quote_literal(d.name), quote_nullable(f.source_id), quote_nullable(f.code),
                             quote_nullable(f.name), f.attrs::text, md5(ST_AsBinary(f.geom))))::uuid AS fp
        FROM constraint_feature f JOIN lw_changed_ds d ON d.id = f.dataset_id AND NOT d.appeared
        WHERE d.kind <> 'district') x
), new_f AS (
  SELECT id, dataset_id, fp, row_number() OVER (PARTITION BY fp ORDER BY row_number, id) AS rk
  FROM (SELECT f.id, f.dataset_id, f.row_number,
               md5(concat_ws('|', d.kind, quote_literal(d.name), quote_nullable(f.source_id), quote_nullable(f.code),
                             quote_nullable(f.name), f.attrs::text, md5(ST_AsBinary(f.geom))))::uuid AS fp
        FROM constraint_feature f JOIN lw_changed_ds d ON d.id = f.dataset_id AND d.appeared
        WHERE d.kind <> 'district') x
), old_s AS (
  SELECT s.id, s.row_number, d.kind, d.name, d.epoch, s.source_id, s.geom_hash
  FROM lw_changed_ds d JOIN subject s ON s.dataset_id = d.id
  WHERE NOT d.appeared
), new_s AS (
  SELECT s.id, s.dataset_id, s.row_number, d.kind, d.name, d.epoch, s.source_id, s.geom_hash
  FROM lw_changed_ds d JOIN subject s ON s.dataset_id = d.id
  WHERE d.appeared
), pair_s AS (
  -- Subjects are many (a million buildings): pair them by a hash join on the stored geometry hash
  -- and the other fields, without fingerprints or sorting.
  SELECT o.id AS old_id, n.id AS new_id, n.dataset_id
  FROM old_s o
  -- Equalities the planner can hash (IS NOT DISTINCT FROM is not), compared bytewise (COLLATE "C").
  JOIN new_s n ON n.geom_hash COLLATE "C" = o.geom_hash COLLATE "C" AND n.kind = o.kind AND n.name COLLATE "C" = o.name COLLATE "C"
              AND coalesce(n.epoch, '-infinity') = coalesce(o.epoch, '-infinity')
              AND (n.source_id IS NULL) = (o.source_id IS NULL) AND coalesce(n.source_id, '') COLLATE "C" = coalesce(o.source_id, '') COLLATE "C"
), dup_pair AS (
  -- Identical duplicates within a layer match several copies on the other side: those groups pair
  -- up in row order (rk), below. Every other pair is one copy on each side, a twin as it is.
  SELECT * FROM pair_s
  WHERE old_id IN (SELECT old_id FROM pair_s GROUP BY old_id HAVING count(*) > 1)
     OR new_id IN (SELECT new_id FROM pair_s GROUP BY new_id HAVING count(*) > 1)
), dup_old AS (
  SELECT o.*, row_number() OVER (PARTITION BY o.kind, o.name, o.epoch, o.source_id, o.geom_hash ORDER BY o.row_number, o.id) AS rk
  FROM old_s o WHERE o.id IN (SELECT old_id FROM dup_pair)
), dup_new AS (
  SELECT n.*, row_number() OVER (PARTITION BY n.kind, n.name, n.epoch, n.source_id, n.geom_hash ORDER BY n.row_number, n.id) AS rk
  FROM new_s n WHERE n.id IN (SELECT new_id FROM dup_pair)
), ins AS (
  INSERT INTO lw_twin (what, old_id, new_id, new_dataset_id)
  SELECT 'feature', o.id, n.id, n.dataset_id FROM old_f o JOIN new_f n ON n.fp = o.fp AND n.rk = o.rk
  UNION ALL
  SELECT 'subject', p.old_id, p.new_id, p.dataset_id FROM pair_s p
  -- A pair whose old copy is in no duplicate group (its old copy never is then, nor its new one).
  WHERE p.old_id NOT IN (SELECT old_id FROM dup_pair)
  UNION ALL
  SELECT 'subject', o.id, n.id, n.dataset_id
  FROM dup_old o
  JOIN dup_new n ON n.geom_hash = o.geom_hash AND n.kind = o.kind AND n.name = o.name AND n.rk = o.rk
                AND n.epoch IS NOT DISTINCT FROM o.epoch AND n.source_id IS NOT DISTINCT FROM o.source_id
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
