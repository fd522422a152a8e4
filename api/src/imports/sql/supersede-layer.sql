-- The current active version of the layer steps aside (kept for history).
UPDATE dataset SET status = 'superseded', superseded_at = now()
WHERE kind = $1 AND name = $2 AND status = 'active'
RETURNING id
