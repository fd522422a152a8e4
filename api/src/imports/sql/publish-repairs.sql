INSERT INTO import_repair (dataset_id, row_number, source_id, reason)
SELECT $1, row_number, source_id, repair_reason
FROM lw_import_stage
WHERE repaired AND reject_code IS NULL
