-- Marks a run failed; its work was rolled back with its transaction.
UPDATE analysis_run SET status = 'failed', error = $2, timings = $3::jsonb, finished_at = now()
WHERE id = $1
