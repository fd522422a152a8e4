-- The imagery covering a lon/lat box best suited to a date:
--   mode 'before'  → the latest acquired strictly before the date;
--   mode 'after'   → the earliest acquired on or after the date;
--   mode 'nearest' → the closest in days (ties: the earlier).
-- Covering = the footprint contains the box centre. No row when nothing qualifies.
WITH box AS (
  SELECT ST_SetSRID(ST_MakePoint(($1::float8 + $3::float8) / 2, ($2::float8 + $4::float8) / 2), 4490) AS centre
)
SELECT i.id, to_char(i.acquired_on, 'YYYY-MM-DD') AS acquired_on, i.name
FROM imagery i, box
WHERE ST_Intersects(i.footprint, box.centre)
  AND CASE $6::text
        WHEN 'before' THEN i.acquired_on < $5::date
        WHEN 'after' THEN i.acquired_on >= $5::date
        ELSE true
      END
ORDER BY
  CASE $6::text WHEN 'before' THEN ($5::date - i.acquired_on)
          WHEN 'after' THEN (i.acquired_on - $5::date)
          ELSE abs(i.acquired_on - $5::date) END,
  i.acquired_on, i.id
LIMIT 1
