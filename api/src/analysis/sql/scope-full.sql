-- A full run evaluates every subject.
WITH ins AS (INSERT INTO lw_scope SELECT * FROM lw_universe RETURNING 1)
SELECT count(*)::int AS n FROM ins
