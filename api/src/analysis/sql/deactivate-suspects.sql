-- Suspects this run no longer flags become inactive (kept, with their last evidence, never deleted):
-- those whose subject was evaluated now without a finding, and those whose subject is gone from the
-- analysis (its layer version was replaced without it, or it is no longer of the latest epoch).
-- The active suspects this run did not flag are found first, by a join with the flags: in a full run
-- there are none, and the universe and the scope are then never hashed (tested inside the scan, the
-- two hashes of a million keys were built for every run: 2.5 s at 1M buildings, for no row).
WITH unflagged AS MATERIALIZED (
  SELECT su.id, su.suspect_key
  FROM suspect su
  WHERE su.active AND NOT EXISTS (SELECT 1 FROM lw_flag f WHERE f.suspect_key = su.suspect_key)
), upd AS (
  UPDATE suspect su SET active = false, updated_at = now()
  FROM unflagged x
  WHERE su.id = x.id
    AND (NOT EXISTS (SELECT 1 FROM lw_universe u WHERE u.suspect_key = x.suspect_key)
         OR EXISTS (SELECT 1 FROM lw_scope sc WHERE sc.suspect_key = x.suspect_key))
  RETURNING 1
)
SELECT count(*)::int AS n FROM upd
