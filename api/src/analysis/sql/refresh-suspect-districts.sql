-- The district layer changed: place every active suspect again, the same way as flag-subjects.sql
-- (most detailed level, then most area, shares equal to 1e-9 decided by the lower code; district
-- pieces from district_piece). $1 = overlay grid size.
WITH touch AS (
  SELECT su.id, p.code, p.rank,
         CASE WHEN ST_Within(su.geom, p.geom) THEN ST_Area(su.geom) ELSE ST_Area(ST_Intersection(su.geom, p.geom, $1::float8)) END AS a
  FROM suspect su
  JOIN district_piece p ON p.geom && su.geom AND ST_Intersects(p.geom, su.geom)
  WHERE su.active
), placed AS (
  SELECT DISTINCT ON (t.id) t.id, t.code
  FROM (SELECT id, code, rank, sum(a) AS a FROM touch GROUP BY id, code, rank) t
  JOIN suspect su ON su.id = t.id
  ORDER BY t.id, t.rank DESC, round(coalesce(t.a / nullif(ST_Area(su.geom), 0), 0)::numeric, 9) DESC, t.code
), upd AS (
  UPDATE suspect su SET district_code = pl.code
  FROM (SELECT s.id, p.code FROM suspect s LEFT JOIN placed p ON p.id = s.id WHERE s.active) pl
  WHERE su.id = pl.id
  RETURNING 1
)
SELECT count(*)::int AS n FROM upd
