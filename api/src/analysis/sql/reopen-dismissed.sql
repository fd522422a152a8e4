-- A dismissed suspect flagged again with a different geometry goes back to 'new' (upsert-suspects);
-- the case history records why, as the system's own event ($1 = run id).
WITH ins AS (
  INSERT INTO case_event (suspect_id, actor, type, from_status, to_status, note, data)
  SELECT su.id, 'analysis', 'reopened', 'dismissed', 'new',
         '图形已变化，重新标记为疑似 / geometry changed since dismissal: flagged again',
         jsonb_build_object('runId', $1::bigint, 'oldGeomHash', su.geom_hash, 'newGeomHash', s.geom_hash)
  FROM suspect su
  JOIN lw_flag f ON f.suspect_key = su.suspect_key
  JOIN lw_subj s ON s.sid = f.sid
  WHERE su.status = 'dismissed' AND su.geom_hash <> s.geom_hash
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins
