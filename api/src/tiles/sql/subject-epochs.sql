-- Epochs of the active versions of a subject layer ($1 = building | change_patch), oldest first.
SELECT DISTINCT epoch::text AS epoch FROM dataset
WHERE kind = $1::text AND status = 'active' AND epoch IS NOT NULL
ORDER BY 1
