-- Evidence of active suspects that this run does not re-evaluate may name features of a layer version
-- that was just replaced by an identical copy (a twin): point it at the copy, as a full run would.
-- Baseline buildings (EXPANSION evidence) are subjects, other matched features constraint features.
-- First find the findings concerned in one pass (hash join with the twins), then rewrite only those.
WITH elem AS (
  SELECT fi.id, e.value AS e,
         CASE WHEN e.value ->> 'kind' IN ('building', 'change_patch') THEN 'subject' ELSE 'feature' END AS what
  FROM finding fi
  JOIN suspect su ON su.id = fi.suspect_id AND su.active
  CROSS JOIN LATERAL jsonb_array_elements(fi.matched) AS e
), hit AS (
  SELECT DISTINCT el.id FROM elem el JOIN lw_twin t ON t.what = el.what AND t.old_id = (el.e ->> 'featureId')::bigint
), upd AS (
  UPDATE finding fi SET matched = (
    SELECT jsonb_agg(CASE WHEN t.new_id IS NULL THEN e
                          ELSE e || jsonb_build_object('featureId', t.new_id, 'datasetId', t.new_dataset_id) END
                     ORDER BY coalesce(t.new_id, (e ->> 'featureId')::bigint))
    FROM jsonb_array_elements(fi.matched) AS e
    LEFT JOIN lw_twin t
      ON t.old_id = (e ->> 'featureId')::bigint
     AND t.what = CASE WHEN e ->> 'kind' IN ('building', 'change_patch') THEN 'subject' ELSE 'feature' END
  )
  FROM hit WHERE fi.id = hit.id
  RETURNING 1
)
SELECT count(*)::int AS n FROM upd
