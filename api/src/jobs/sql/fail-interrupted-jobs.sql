-- A job still queued or running when the process starts was interrupted (crash, SIGKILL): say so.
UPDATE job
SET status = 'failed',
    finished_at = now(),
    error = jsonb_build_object('code', 'INTERRUPTED', 'message', 'The process stopped while this job ran; nothing of it was kept')
WHERE status IN ('queued', 'running')
