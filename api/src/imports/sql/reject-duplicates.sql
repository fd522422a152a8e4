-- Later rows of a duplicated source id that are still in the stage are rejected there.
UPDATE lw_import_stage s SET
  reject_code = 'DUPLICATE_SOURCE_ID',
  reject_detail = format('%s already used in row %s', s.source_id, d.first_row)
FROM lw_import_dupes d
WHERE s.source_id = d.source_id AND s.row_number > d.first_row AND s.reject_code IS NULL
