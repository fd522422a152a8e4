-- The evidence entry of every feature a finding names, built once per feature (a parcel under a
-- hundred buildings is described once): ids, source id, code, name and the key attributes of its
-- kind ($1 = {kind: [FIELD…]}, matched case-insensitively; `?` finds a string among a jsonb array's
-- elements without the hash a subquery built for every feature). Baseline buildings (EXPANSION) likewise,
-- read from the baseline datasets' partitions only ($2), constraint features from the partitions of the
-- layers whose pieces were cut ($3): by id alone, every partition's index was probed for each feature
-- (measured at 1M buildings: 3.1 → 2.6 s).
WITH refs AS (
  SELECT DISTINCT matched_from AS what, unnest(feature_ids) AS id FROM lw_finding WHERE matched_from <> 'none'
), ins AS (
  INSERT INTO lw_evidence (what, id, j)
  SELECT r.what, r.id, x.j
  FROM refs r
  CROSS JOIN LATERAL (
    SELECT jsonb_build_object('featureId', c.id, 'datasetId', c.dataset_id, 'kind', c.kind, 'sourceId', c.source_id,
                              'code', c.code, 'name', c.name,
                              'attrs', coalesce((SELECT jsonb_object_agg(a.key, a.value) FROM jsonb_each(c.attrs) AS a
                                                 WHERE ($1::jsonb -> c.kind) ? upper(a.key)), '{}'::jsonb)) AS j
    FROM constraint_feature c WHERE r.what = 'constraint' AND c.id = r.id AND c.dataset_id = ANY($3::bigint[])
    UNION ALL
    SELECT jsonb_build_object('featureId', b.id, 'datasetId', b.dataset_id, 'kind', b.kind, 'sourceId', b.source_id,
                              'code', NULL, 'name', NULL,
                              'attrs', coalesce((SELECT jsonb_object_agg(a.key, a.value) FROM jsonb_each(b.attrs) AS a
                                                 WHERE ($1::jsonb -> b.kind) ? upper(a.key)), '{}'::jsonb))
    FROM subject b WHERE r.what = 'subject' AND b.id = r.id AND b.dataset_id = ANY($2::bigint[])
  ) x
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
