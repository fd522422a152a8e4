-- What the map's search box finds: a suspect by id or source id (prefix), a district by name (part)
-- or code, a constraint feature or subject by exact source id. $1 = the text as typed,
-- $2 = the same escaped for LIKE (\ % _ escaped with \), $3 = most results per kind.
-- Each result carries its extent (EPSG:4490) for the map to fly to.
WITH q AS (
  SELECT $1::text AS raw, $2::text AS pat,
         CASE WHEN $1::text ~ '^[0-9]{1,15}$' THEN $1::text::bigint END AS num
)
(SELECT 'suspect' AS type, s.id::text AS id, coalesce(s.source_id, s.suspect_key) AS label,
        s.district_code AS detail,
        ST_XMin(s.geom) AS xmin, ST_YMin(s.geom) AS ymin, ST_XMax(s.geom) AS xmax, ST_YMax(s.geom) AS ymax
 FROM suspect s CROSS JOIN q
 WHERE s.id = q.num OR s.source_id = q.raw OR s.source_id LIKE q.pat || '%' ESCAPE '\'
 ORDER BY (s.id = q.num) IS TRUE DESC, (s.source_id = q.raw) IS TRUE DESC, s.id
 LIMIT $3)
UNION ALL
(SELECT 'district', d.code, d.name, d.level,
        ST_XMin(d.geom), ST_YMin(d.geom), ST_XMax(d.geom), ST_YMax(d.geom)
 FROM district d CROSS JOIN q
 WHERE d.geom IS NOT NULL AND (d.name LIKE '%' || q.pat || '%' ESCAPE '\' OR d.code = q.raw)
 ORDER BY length(d.name), d.code
 LIMIT $3)
UNION ALL
(SELECT 'feature', f.id::text, coalesce(f.name, f.code, f.source_id), f.kind,
        ST_XMin(f.geom), ST_YMin(f.geom), ST_XMax(f.geom), ST_YMax(f.geom)
 FROM constraint_feature f
 JOIN dataset ds ON ds.id = f.dataset_id AND ds.status = 'active'
 CROSS JOIN q
 WHERE f.source_id = q.raw
 ORDER BY f.id
 LIMIT $3)
UNION ALL
(SELECT 'subject', s.id::text, s.source_id, s.kind || coalesce(' ' || s.epoch::text, ''),
        ST_XMin(s.geom), ST_YMin(s.geom), ST_XMax(s.geom), ST_YMax(s.geom)
 FROM subject s
 JOIN dataset ds ON ds.id = s.dataset_id AND ds.status = 'active'
 CROSS JOIN q
 WHERE s.source_id = q.raw
 ORDER BY s.id
 LIMIT $3)
