-- How many suspects an export will write (progress and the X-LandWatch-Rows header).
-- Filters $1–$9: export-filter.sql.
SELECT count(*)::int AS n
FROM suspect s
WHERE {{EXPORT_FILTER}}
