-- Areas where something changed: constraint features (of any kind but district) and baseline
-- buildings ($1 = baseline epoch) that appeared or went away without a twin in the other version.
-- $2 = the changed datasets' ids: only their partitions are read.
WITH ins AS (
  INSERT INTO lw_changed (geom)
  SELECT f.geom
  FROM constraint_feature f JOIN lw_changed_ds d ON d.id = f.dataset_id
  WHERE d.kind <> 'district' AND f.dataset_id = ANY($2::bigint[])
    AND NOT EXISTS (SELECT 1 FROM lw_twin t WHERE t.what = 'feature' AND t.old_id = f.id)
    AND NOT EXISTS (SELECT 1 FROM lw_twin t WHERE t.what = 'feature' AND t.new_id = f.id)
  UNION ALL
  SELECT s.geom
  FROM subject s JOIN lw_changed_ds d ON d.id = s.dataset_id
  WHERE d.kind = 'building' AND d.epoch = $1::date AND s.dataset_id = ANY($2::bigint[])
    AND NOT EXISTS (SELECT 1 FROM lw_twin t WHERE t.what = 'subject' AND t.old_id = s.id)
    AND NOT EXISTS (SELECT 1 FROM lw_twin t WHERE t.what = 'subject' AND t.new_id = s.id)
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
