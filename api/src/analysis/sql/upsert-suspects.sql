-- One suspect per flagged subject, found by its stable key. A new one starts as 'new'; an existing one
-- keeps its status (people's decisions stand), except a dismissed one whose geometry changed, which is
-- 'new' again. updated_at moves only when what the suspect says changed. A suspect keeps pointing at
-- the subject row it was first seen as while its epoch and geometry stay the same: a re-imported,
-- unchanged layer then moves nothing (an incremental run need not touch it, and a full run agrees).
-- $1 run id, $2 ruleset version, $3 ruleset hash.
WITH src AS (
  SELECT f.suspect_key, s.sid, s.kind, s.source_id, s.epoch, s.is_new, f.district_code, f.rules, f.severity,
         f.disposition, s.area_m2, f.overlap_m2, ST_Multi(s.geom) AS geom, s.geom_hash
  FROM lw_flag f JOIN lw_subj s ON s.sid = f.sid
), up AS (
  INSERT INTO suspect AS su (suspect_key, subject_id, subject_kind, source_id, epoch, is_new, district_code, rules,
                             severity, disposition, area_m2, overlap_m2, geom, geom_hash, status, active,
                             first_run_id, last_run_id, ruleset_version, ruleset_hash)
  SELECT suspect_key, sid, kind, source_id, epoch, is_new, district_code, rules, severity, disposition, area_m2,
         overlap_m2, geom, geom_hash, 'new', true, $1::bigint, $1::bigint, $2, $3
  FROM src
  ON CONFLICT (suspect_key) DO UPDATE SET
    subject_id = CASE WHEN su.subject_id IS NOT NULL AND su.geom_hash = EXCLUDED.geom_hash
                           AND su.epoch IS NOT DISTINCT FROM EXCLUDED.epoch
                      THEN su.subject_id ELSE EXCLUDED.subject_id END,
    subject_kind = EXCLUDED.subject_kind,
    source_id = EXCLUDED.source_id,
    epoch = EXCLUDED.epoch,
    is_new = EXCLUDED.is_new,
    district_code = EXCLUDED.district_code,
    rules = EXCLUDED.rules,
    severity = EXCLUDED.severity,
    disposition = EXCLUDED.disposition,
    area_m2 = EXCLUDED.area_m2,
    overlap_m2 = EXCLUDED.overlap_m2,
    geom = EXCLUDED.geom,
    geom_hash = EXCLUDED.geom_hash,
    status = CASE WHEN su.status = 'dismissed' AND su.geom_hash <> EXCLUDED.geom_hash THEN 'new' ELSE su.status END,
    active = true,
    last_run_id = EXCLUDED.last_run_id,
    ruleset_version = EXCLUDED.ruleset_version,
    ruleset_hash = EXCLUDED.ruleset_hash,
    updated_at = CASE
      WHEN (su.active, su.rules, su.severity, su.disposition, su.district_code, su.geom_hash, su.is_new, su.epoch,
            round(su.overlap_m2::numeric, 2))
           IS DISTINCT FROM
           (true, EXCLUDED.rules, EXCLUDED.severity, EXCLUDED.disposition, EXCLUDED.district_code, EXCLUDED.geom_hash,
            EXCLUDED.is_new, EXCLUDED.epoch, round(EXCLUDED.overlap_m2::numeric, 2))
      THEN now() ELSE su.updated_at END
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*)::int AS n, count(*) FILTER (WHERE inserted)::int AS created FROM up
