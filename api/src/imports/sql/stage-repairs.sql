SELECT row_number, source_id, repair_reason AS reason
FROM lw_import_stage
WHERE repaired AND reject_code IS NULL
ORDER BY row_number
LIMIT $1
