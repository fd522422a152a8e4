-- Moves a job forward; NULL arguments keep the stored value.
UPDATE job SET
  status      = coalesce($2, status),
  progress    = coalesce($3, progress),
  message     = coalesce($4, message),
  result      = coalesce($5::jsonb, result),
  error       = coalesce($6::jsonb, error),
  started_at  = CASE WHEN $2 = 'running' AND started_at IS NULL THEN now() ELSE started_at END,
  finished_at = CASE WHEN $2 IN ('succeeded', 'failed') THEN now() ELSE finished_at END
WHERE id = $1
