-- A source id used by an earlier accepted row: the later rows are rejected, the first one is kept.
UPDATE lw_import_stage s SET
  reject_code = 'DUPLICATE_SOURCE_ID',
  reject_detail = format('%s already used in row %s', s.source_id, f.first_row)
FROM (
  SELECT source_id, min(row_number) AS first_row
  FROM lw_import_stage
  WHERE source_id IS NOT NULL AND reject_code IS NULL
  GROUP BY source_id
  HAVING count(*) > 1
) f
WHERE s.source_id = f.source_id AND s.row_number > f.first_row AND s.reject_code IS NULL
