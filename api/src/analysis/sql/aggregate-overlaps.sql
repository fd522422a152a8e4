-- Rows of lw_overlap — per subject and constraint kind: the union of the overlaps (pieces of one feature, or overlapping
-- features, are merged so nothing is counted twice), the features involved, and the ellipsoidal m²
-- (known without measuring when the overlap is one whole footprint). $1 = overlay grid size (see
-- GRID_SIZE in analysis-pipeline.ts; -1 = floating).
WITH agg AS (
  SELECT sid, kind,
         array_agg(DISTINCT feature_id ORDER BY feature_id) AS feature_ids,
         CASE WHEN count(*) = 1 THEN max(whole_m2) END AS known_m2,
         -- Ordered collection: the same inputs give the same vertices whatever order the overlay produced.
         CASE WHEN count(*) = 1 THEN (array_agg(g))[1]
              ELSE ST_UnaryUnion(ST_Collect(g ORDER BY feature_id, ST_XMin(g), ST_YMin(g)), $1::float8) END AS g
  FROM lw_hit
  GROUP BY sid, kind
)
SELECT sid, kind, feature_ids, ST_Multi(ST_CollectionExtract(g, 3)) AS g,
       coalesce(known_m2, ST_Area(ST_CollectionExtract(g, 3)::geography)) AS m2
FROM agg
