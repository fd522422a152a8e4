-- Unchanged copies across versions of the same layer ("twins"): a re-import that changed 1 % of a
-- layer must not send 100 % of it back through the analysis. Features are twins when layer, geometry,
-- source id, code, name and attributes are equal (all of which the evidence shows); subjects when
-- layer, epoch, geometry and source id are equal. Each row gets one fingerprint (an md5 as uuid: it
-- sorts by memcmp, not by collation) to join on; identical duplicates pair up in row order (rk).
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
  SELECT id, fp, row_number() OVER (PARTITION BY fp ORDER BY row_number, id) AS rk
  FROM (SELECT s.id, s.row_number,
               md5(concat_ws('|', d.kind, quote_literal(d.name), quote_nullable(d.epoch::text), quote_nullable(s.source_id), s.geom_hash))::uuid AS fp
        FROM subject s JOIN lw_changed_ds d ON d.id = s.dataset_id AND NOT d.appeared) x
), new_s AS (
  SELECT id, dataset_id, fp, row_number() OVER (PARTITION BY fp ORDER BY row_number, id) AS rk
  FROM (SELECT s.id, s.dataset_id, s.row_number,
               md5(concat_ws('|', d.kind, quote_literal(d.name), quote_nullable(d.epoch::text), quote_nullable(s.source_id), s.geom_hash))::uuid AS fp
        FROM subject s JOIN lw_changed_ds d ON d.id = s.dataset_id AND d.appeared) x
), ins AS (
  INSERT INTO lw_twin (what, old_id, new_id, new_dataset_id)
  SELECT 'feature', o.id, n.id, n.dataset_id FROM old_f o JOIN new_f n ON n.fp = o.fp AND n.rk = o.rk
  UNION ALL
  SELECT 'subject', o.id, n.id, n.dataset_id FROM old_s o JOIN new_s n ON n.fp = o.fp AND n.rk = o.rk
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
