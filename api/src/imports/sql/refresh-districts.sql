-- The district table follows the active district datasets. $1 = the new dataset (rows of the version
-- it supersedes were removed by delete-districts.sql). Codes are normalised to 12 digits (6-digit
-- county codes get 000000, 9-digit township codes 000); the level and the parent follow from the code (GB/T 2260 + township + village).
WITH coded AS (
  SELECT CASE length(c) WHEN 6 THEN c || '000000' WHEN 9 THEN c || '000' WHEN 12 THEN c END AS code,
         coalesce(nullif(name, ''), c) AS name, geom
  FROM (SELECT regexp_replace(coalesce(code, source_id, ''), '[^0-9]', '', 'g') AS c, name, geom
        FROM constraint_feature WHERE dataset_id = $1) f
),
merged AS (
  SELECT code, min(name) AS name, ST_Multi(ST_CollectionExtract(ST_Union(geom), 3)) AS geom
  FROM coded WHERE code IS NOT NULL GROUP BY code
)
INSERT INTO district (code, name, level, parent_code, dataset_id, geom, area_m2)
SELECT code, name,
       CASE WHEN substr(code, 7) <> '000000' THEN
              CASE WHEN substr(code, 10) = '000' THEN 'township' ELSE 'village' END
            WHEN substr(code, 3, 4) = '0000' THEN 'province'
            WHEN substr(code, 5, 2) = '00' THEN 'city'
            ELSE 'county' END,
       CASE WHEN substr(code, 7) <> '000000' THEN
              CASE WHEN substr(code, 10) = '000' THEN substr(code, 1, 6) || '000000' ELSE substr(code, 1, 9) || '000' END
            WHEN substr(code, 3, 4) = '0000' THEN NULL
            WHEN substr(code, 5, 2) = '00' THEN substr(code, 1, 2) || '0000000000'
            ELSE substr(code, 1, 4) || '00000000' END,
       $1::bigint, geom, ST_Area(geom::geography)
FROM merged
ON CONFLICT (code) DO UPDATE SET
  name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
  dataset_id = excluded.dataset_id, geom = excluded.geom, area_m2 = excluded.area_m2
