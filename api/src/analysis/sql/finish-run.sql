-- Marks a run succeeded with what it saw and did.
UPDATE analysis_run SET
  status = 'succeeded',
  mode = $2,
  baseline_epoch = $3::date,
  latest_epoch = $4::date,
  dataset_ids = $5::bigint[],
  previous_run_id = $6,
  counts = $7::jsonb,
  timings = $8::jsonb,
  notes = $9::jsonb,
  finished_at = now()
WHERE id = $1
