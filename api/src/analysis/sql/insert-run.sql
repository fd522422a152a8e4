-- Registers a run as running ($1 requested mode; the executed mode is set when it finishes).
INSERT INTO analysis_run (mode, requested_mode, status, ruleset_version, ruleset_hash, ruleset_path, engine_version)
VALUES ($1, $1, 'running', $2, $3, $4, $5)
RETURNING id, started_at
