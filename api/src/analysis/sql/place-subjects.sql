-- Rows of lw_placed — the district of every subject with findings: among the districts it touches the most detailed level
-- (village before township before county), and within it the one holding most of its area (planar
-- areas rank correctly at this scale; shares equal to 1e-9 count as a tie, decided by the lower code,
-- so that rounding noise never decides); no row when no district touches it. Districts are read as
-- pieces (district_piece, ST_Subdivide): a village boundary has hundreds of vertices, a county
-- thousands, and each subject only needs the few pieces around it. $1 = overlay grid size, $2 = the
-- subjects' dataset ids.
WITH agg AS (
  SELECT DISTINCT sid FROM lw_finding
), detail AS (
  SELECT max(rank) AS rank FROM district_piece
), touch_detail AS (
  -- The most detailed level first. Self-contained (no other CTE, no OFFSET fence), so that PostgreSQL
  -- can run it with parallel workers: the rank filter is cheaper than ST_Intersects and is tested first.
  SELECT o.id AS sid, p.code, p.rank
  FROM (SELECT DISTINCT sid FROM lw_finding) a
  JOIN subject o ON o.id = a.sid AND o.dataset_id = ANY($2::bigint[])
  JOIN district_piece p ON p.geom && o.geom AND p.rank = (SELECT max(rank) FROM district_piece) AND ST_Intersects(p.geom, o.geom)
), touch AS (
  SELECT * FROM touch_detail
  UNION ALL
  -- Coarser levels only for subjects that touch no district of the most detailed one.
  SELECT a.sid, p.code, p.rank
  FROM agg a
  JOIN lw_subj s ON s.sid = a.sid
  JOIN district_piece p ON p.geom && s.geom AND p.rank < (SELECT rank FROM detail) AND ST_Intersects(p.geom, s.geom)
  -- NOT IN over a CTE becomes one hashed subplan (NOT EXISTS was planned as a nested loop over it).
  WHERE a.sid NOT IN (SELECT sid FROM touch_detail)
), top AS (
  -- The most detailed level touched, and whether a single district of it is touched: then it is the
  -- answer and no area is measured (most subjects lie inside one village). One pass, no self-join
  -- (CTE row counts are guesses; a join here could become a nested loop over all pairs): the level
  -- prefixes the code, so max() gives the top level's highest code and min() over 9 - level its
  -- lowest (levels are 1–5, codes 12 digits).
  SELECT sid, left(hi, 1)::int AS rank, substr(lo, 2) AS code, substr(lo, 2) = substr(hi, 2) AS alone
  FROM (SELECT sid, max(rank::text || code COLLATE "C") AS hi, min((9 - rank)::text || code COLLATE "C") AS lo
        FROM touch GROUP BY sid) g
), contested AS (
  SELECT DISTINCT ON (x.sid) x.sid, x.code
  FROM (SELECT tp.sid, p.code,
               sum(CASE WHEN ST_Within(s.geom, p.geom) THEN ST_Area(s.geom)
                        ELSE ST_Area(ST_Intersection(s.geom, p.geom, $1::float8)) END) AS a,
               max(ST_Area(s.geom)) AS whole
        FROM top tp
        JOIN lw_subj s ON s.sid = tp.sid
        JOIN district_piece p ON p.rank = tp.rank AND p.geom && s.geom AND ST_Intersects(p.geom, s.geom)
        WHERE NOT tp.alone
        GROUP BY tp.sid, p.code) x
  ORDER BY x.sid, round(coalesce(x.a / nullif(x.whole, 0), 0)::numeric, 9) DESC, x.code
), placed AS (
  SELECT sid, code FROM top WHERE alone
  UNION ALL
  SELECT sid, code FROM contested
)
SELECT sid, code FROM placed
