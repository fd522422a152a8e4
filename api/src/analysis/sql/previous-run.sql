-- The latest successful run: the reference point of an incremental run. No row when there is none.
SELECT id, ruleset_hash, engine_version, baseline_epoch, latest_epoch, dataset_ids
FROM analysis_run
WHERE status = 'succeeded'
ORDER BY id DESC
LIMIT 1
