-- Layer versions that appeared ($1 = ids the previous run saw) or went away since the previous run;
-- answers their ids too (all, those that appeared, those that went away), which later statements name
-- so that only those partitions are read.
WITH ins AS (
  INSERT INTO lw_changed_ds (id, kind, name, epoch, appeared)
  SELECT id, kind, name, epoch, true FROM dataset WHERE status = 'active' AND NOT (id = ANY($1::bigint[]))
  UNION ALL
  SELECT id, kind, name, epoch, false FROM dataset WHERE id = ANY($1::bigint[]) AND status <> 'active'
  RETURNING id, kind, appeared
)
SELECT count(*)::int AS n, coalesce(array_agg(DISTINCT kind), '{}') AS kinds, coalesce(array_agg(id), '{}') AS ids,
       coalesce(array_agg(id) FILTER (WHERE appeared), '{}') AS appeared_ids,
       coalesce(array_agg(id) FILTER (WHERE NOT appeared), '{}') AS gone_ids
FROM ins
