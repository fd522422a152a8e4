-- The evidence of every flagged suspect is replaced by this run's findings, each with its matched
-- features in id order (entries from lw_evidence), on the suspect's subject row. $1 run id, $2 ruleset
-- version, $3 ruleset hash, $4 m² per 亩.
WITH del AS (
  DELETE FROM finding fi
  USING suspect su, lw_flag f
  WHERE fi.suspect_id = su.id AND su.suspect_key = f.suspect_key
  RETURNING 1
), ins AS (
  INSERT INTO finding (run_id, suspect_id, subject_id, rule, matched, overlap_geom, overlap_m2, overlap_mu, share,
                       ruleset_version, ruleset_hash, severity)
  SELECT $1::bigint, su.id, su.subject_id, lf.rule,
         coalesce((SELECT jsonb_agg(e.j ORDER BY e.id)
                   FROM lw_evidence e WHERE e.what = lf.matched_from AND e.id = ANY(lf.feature_ids)), '[]'::jsonb),
         ST_Multi(lf.g), lf.overlap_m2, lf.overlap_m2 / $4::float8, lf.share, $2, $3, lf.severity
  FROM lw_finding lf
  JOIN lw_flag f ON f.sid = lf.sid
  JOIN suspect su ON su.suspect_key = f.suspect_key
  RETURNING 1
)
SELECT (SELECT count(*) FROM del)::int AS deleted, (SELECT count(*) FROM ins)::int AS n
