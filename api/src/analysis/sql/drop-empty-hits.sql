-- Touching only at an edge is no overlap: its intersection has no polygonal part.
WITH del AS (DELETE FROM lw_hit WHERE ST_IsEmpty(g) RETURNING 1)
SELECT count(*)::int AS n FROM del
