-- The subjects of analysis: the features of $1, the active building layers of the latest epoch and every
-- active change patch layer (readScene's subjectDatasetIds; as a list, only their partitions are read).
-- Each gets its suspect key, which keeps a suspect's id stable across runs and across re-imports of the
-- same layer: layer kind + name + source id, or the geometry hash when the layer has no ids (with a
-- counter for the rare duplicates within one layer).
-- This version numbers the copies; the pipeline runs it only when the plain load-universe.sql gave two
-- subjects the same key (its unique index refused them), and it replaces that statement's rows.
WITH plain AS (
  DELETE FROM lw_universe
), subjects AS (
  SELECT s.id, s.kind, s.dataset_id, d.name AS layer, d.epoch, nullif(btrim(s.source_id), '') AS source_id,
         s.geom_hash, s.row_number
  FROM subject s
  JOIN dataset d ON d.id = s.dataset_id
  WHERE s.dataset_id = ANY($1::bigint[])
), keyed AS (
  SELECT *,
         row_number() OVER (PARTITION BY dataset_id, coalesce(source_id, geom_hash) COLLATE "C", source_id IS NULL
                            ORDER BY row_number, id) AS dup
  FROM subjects
), ins AS (
  INSERT INTO lw_universe (sid, kind, dataset_id, layer, epoch, source_id, geom_hash, suspect_key)
  SELECT id, kind, dataset_id, layer, epoch, source_id, geom_hash,
         kind || ':' || layer
           || CASE WHEN source_id IS NOT NULL THEN ':id:' || source_id ELSE ':geom:' || geom_hash END
           -- The importer rejects duplicate source ids; a counter keeps keys unique whatever the data.
           || CASE WHEN dup > 1 THEN ':' || dup ELSE '' END
  FROM keyed
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
