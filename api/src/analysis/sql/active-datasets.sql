-- The active version of every layer: what this run will see (stored on the run for the next one).
SELECT id, kind, name, epoch
FROM dataset
WHERE status = 'active'
ORDER BY id
