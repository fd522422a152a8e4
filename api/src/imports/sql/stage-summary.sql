-- Counts for the report: accepted, repaired, rejected by code.
SELECT coalesce(reject_code, '') AS code, count(*)::int AS n, count(*) FILTER (WHERE repaired)::int AS repaired
FROM lw_import_stage
GROUP BY 1
