-- Layer versions that appeared ($1 = ids the previous run saw) or went away since the previous run.
WITH ins AS (
  INSERT INTO lw_changed_ds (id, kind, name, epoch, appeared)
  SELECT id, kind, name, epoch, true FROM dataset WHERE status = 'active' AND NOT (id = ANY($1::bigint[]))
  UNION ALL
  SELECT id, kind, name, epoch, false FROM dataset WHERE id = ANY($1::bigint[]) AND status <> 'active'
  RETURNING kind
)
SELECT count(*)::int AS n, coalesce(array_agg(DISTINCT kind), '{}') AS kinds FROM ins
