-- Registers a job as queued; the service starts it right after.
INSERT INTO job (type, params, status)
VALUES ($1, $2::jsonb, 'queued')
RETURNING id, type, status, progress, message, params, result, error, created_at, started_at, finished_at
