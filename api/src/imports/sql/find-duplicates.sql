-- Source ids used by more than one accepted row, wherever the rows are now (the new partition or the
-- stage): the first row keeps the id, later rows are rejected (move-duplicates.sql, reject-duplicates.sql).
CREATE TEMP TABLE lw_import_dupes ON COMMIT DROP AS
SELECT source_id, min(row_number) AS first_row
FROM (
  SELECT source_id, row_number FROM {{PARTITION}} WHERE source_id IS NOT NULL
  UNION ALL
  SELECT source_id, row_number FROM lw_import_stage WHERE source_id IS NOT NULL AND reject_code IS NULL
) used
GROUP BY source_id
HAVING count(*) > 1
