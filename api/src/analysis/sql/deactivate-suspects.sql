-- Suspects this run no longer flags become inactive (kept, with their last evidence, never deleted):
-- those whose subject was evaluated now without a finding, and those whose subject is gone from the
-- analysis (its layer version was replaced without it, or it is no longer of the latest epoch).
WITH upd AS (
  UPDATE suspect su SET active = false, updated_at = now()
  WHERE su.active
    AND NOT EXISTS (SELECT 1 FROM lw_flag f WHERE f.suspect_key = su.suspect_key)
    AND (NOT EXISTS (SELECT 1 FROM lw_universe u WHERE u.suspect_key = su.suspect_key)
         OR EXISTS (SELECT 1 FROM lw_scope sc WHERE sc.suspect_key = su.suspect_key))
  RETURNING 1
)
SELECT count(*)::int AS n FROM upd
