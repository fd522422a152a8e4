-- Rows of lw_universe — the subjects of analysis: the features of $1, the active building layers of the latest epoch and every
-- active change patch layer (readScene's subjectDatasetIds; as a list, only their partitions are read).
-- Each gets its suspect key, which keeps a suspect's id stable across runs and across re-imports of the
-- same layer: layer kind + name + source id, or the geometry hash when the layer has no ids (with a
-- counter for the rare duplicates within one layer: load-universe-ranked.sql, run only when the
-- unique index on the keys refuses this statement's rows, so that a million distinct keys are not
-- sorted to number copies that do not exist).
WITH subjects AS (
  SELECT s.id, s.kind::text AS kind, s.dataset_id, d.name::text AS layer, d.epoch, nullif(btrim(s.source_id), '')::text AS source_id,
         s.geom_hash::text AS geom_hash, s.row_number
  FROM subject s
  JOIN dataset d ON d.id = s.dataset_id
  WHERE s.dataset_id = ANY($1::bigint[])
)
SELECT id AS sid, kind, dataset_id, layer, epoch, source_id, geom_hash,
       kind || ':' || layer || CASE WHEN source_id IS NOT NULL THEN ':id:' || source_id ELSE ':geom:' || geom_hash END AS suspect_key
FROM subjects
