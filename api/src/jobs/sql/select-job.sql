SELECT id, type, status, progress, message, params, result, error, created_at, started_at, finished_at
FROM job
WHERE id = $1
