-- One run, or no row.
SELECT id, mode, requested_mode, status, ruleset_version, ruleset_hash, ruleset_path, engine_version,
       baseline_epoch, latest_epoch, previous_run_id, counts, timings, notes, error, started_at, finished_at
FROM analysis_run
WHERE id = $1
